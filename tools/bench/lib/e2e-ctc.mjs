// The speech-ctc half of tools/bench/e2e.mjs. speech-ctc does not train with `fit` (CTC loss, its own loop:
// trainCtc of apps/compare/src/tasks/ctc-training.ts), so `gated train` cannot run it; here both peers run the
// task's loop on the same exported batches:
//   export: the task's corpus and training batches of seed 0 in trainCtc's order (the task's own trainingBatches,
//     iterated until `steps`), written with the initial weights of the bidirectional acoustic model (seed 0);
//   gated: a worker rebuilds those batches as tensors and runs trainCtc itself (forward with lengths, log-softmax,
//     @gated/ctc's ctcLoss with PyTorch's 'mean' reduction and zero_infinity, clipping at 1, Adam); its time is the
//     sum of trainCtc's per-step times (each step from a ready batch, as PyTorch's batches are made before its clock);
//   PyTorch: tools/bench/e2e_torch.py with loss 'ctc' (torch.nn.functional.ctc_loss, packed bidirectional RNN);
//   score: gated's final weights and PyTorch's are both scored by the task's own evaluation (digit error rate).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readWeightsInto, repoRoot, writeInitialWeights } from './bench-run.mjs';

const appDist = join(repoRoot, 'apps', 'compare', 'dist');
export const CTC_TASKS = ['speech-ctc'];

async function ctcSetup(steps) {
  const { TASKS: registry } = await import(join(appDist, 'tasks', 'registry.js'));
  const { loadCtcCorpus, trainingBatches } = await import(join(appDist, 'tasks', 'speech-ctc.js'));
  const { acousticModelOptions } = await import(join(appDist, 'tasks', 'speech-ctc-seed.js'));
  const { initBackend } = await import('@gated/tensor');
  await initBackend({ backend: 'wasm' });
  const task = registry['speech-ctc'];
  const budget = task.budgets.default;
  const corpus = await loadCtcCorpus();
  let prepared;
  return {
    task,
    budget,
    steps: steps ?? budget.steps,
    corpus,
    batches: (seed) => trainingBatches(corpus.splits.train, budget.batchSize, seed),
    options: (kind, seed) => acousticModelOptions(kind, corpus.featureDim, budget.hiddenSize, seed),
    // The task's own final evaluation, as it scores a seed.
    score: async (predict) => {
      prepared ??= await task.prepare(budget);
      return prepared.evaluate(predict, { subset: false });
    },
    evaluation: async () => {
      prepared ??= await task.prepare(budget);
      return prepared.evaluation.final;
    },
  };
}

/** Writes the batches and initial weights of speech-ctc to `dir`; returns the manifest's summary. */
export async function exportCtcData(dir, kinds, stepsOverride, seed) {
  const { SequenceModel } = await import('@gated/cells');
  const s = await ctcSetup(stepsOverride);
  mkdirSync(dir, { recursive: true });
  const chunks = [];
  let bytes = 0;
  const part = (values, dtype, shape) => {
    const buf = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    chunks.push(Buffer.from(buf));
    const p = { dtype, shape, offset: bytes, bytes: buf.byteLength };
    bytes += buf.byteLength;
    return p;
  };
  // trainCtc's order: the same dataset iterated again until `steps` (its epochs reshuffle by themselves)
  const data = s.batches(seed);
  const batches = [];
  while (batches.length < s.steps) {
    let yielded = false;
    for await (const b of data) {
      yielded = true;
      if (batches.length < s.steps) {
        const targets = b.tokens.flatMap((t) => t.map((d) => d + 1)); // digit d → class d + 1 (0 is the blank)
        batches.push({
          x: part(b.x.dataSync(), 'float32', b.x.shape),
          lengths: part(b.lengths.dataSync(), 'int32', b.lengths.shape),
          targets: part(Int32Array.from(targets), 'int32', [targets.length]),
          targetLengths: part(Int32Array.from(b.tokens, (t) => t.length), 'int32', [b.tokens.length]),
        });
      }
      for (const t of [b.x, b.y, b.lengths, b.targetLengths]) t.dispose();
      if (batches.length >= s.steps) break;
    }
    if (!yielded) throw new Error('speech-ctc: the training data yielded no batch');
  }
  writeFileSync(join(dir, 'batches.bin'), Buffer.concat(chunks));
  const init = {};
  for (const kind of kinds) {
    const model = new SequenceModel(s.options(kind, seed));
    init[kind] = writeInitialWeights(dir, kind, model);
    model.dispose();
  }
  const manifest = {
    task: 'speech-ctc',
    metric: s.task.metric,
    steps: s.steps,
    stepsPerEpoch: Math.ceil(s.corpus.splits.train.length / s.budget.batchSize),
    batchSize: s.budget.batchSize,
    learningRate: s.budget.learningRate,
    schedule: null,
    learningRates: Array.from({ length: s.steps }, () => s.budget.learningRate),
    clipNorm: 1,
    loss: 'ctc',
    model: { input: { kind: 'features', inputSize: s.corpus.featureDim }, hiddenSize: s.budget.hiddenSize, outputSize: 11, pooling: 'none', bidirectional: true },
    evaluation: await s.evaluation(),
    init,
    batches,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  const { batches: _b, init: _i, learningRates: _l, ...summary } = manifest;
  return { ...summary, params: Object.fromEntries(kinds.map((k) => [k, Object.values(init[k]).reduce((n, l) => n + l.shape.reduce((a, b) => a * b, 1), 0)])) };
}

/** gated's side: trainCtc on the exported batches; returns { trainMs, loss, metric, step, params }. */
export async function trainCtcWorker(dir, kind, seed) {
  const tf = await import('@tensorflow/tfjs-core');
  const { SequenceModel } = await import('@gated/cells');
  const { trainCtc } = await import(join(appDist, 'tasks', 'ctc-training.js'));
  const { predictor } = await import(join(appDist, 'measure-seed.js'));
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const s = await ctcSetup(m.steps);
  const raw = readFileSync(join(dir, 'batches.bin'));
  const arrays = (p) => {
    const bytes = new Uint8Array(raw.buffer.slice(raw.byteOffset + p.offset, raw.byteOffset + p.offset + p.bytes));
    return p.dtype === 'int32' ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
  };
  const ready = m.batches.map((b) => {
    const targets = Array.from(arrays(b.targets));
    const lengths = Array.from(arrays(b.targetLengths));
    const tokens = [];
    let at = 0;
    // trainCtc maps digits to classes itself (class − 1 back to the digit here)
    for (const n of lengths) {
      tokens.push(targets.slice(at, at + n).map((c) => c - 1));
      at += n;
    }
    return { x: arrays(b.x), xShape: b.x.shape, lengths: arrays(b.lengths), targetLengths: Int32Array.from(lengths), tokens };
  });
  const data = {
    size: ready.length,
    async *[Symbol.asyncIterator]() {
      for (const b of ready) {
        yield { x: tf.tensor3d(b.x, b.xShape), y: tf.tensor1d(b.targetLengths, 'int32'), lengths: tf.tensor1d(b.lengths, 'int32'), targetLengths: tf.tensor1d(b.targetLengths, 'int32'), tokens: b.tokens };
      }
    },
  };
  const model = new SequenceModel(s.options(kind, seed));
  let trainMs = 0;
  let loss = Number.NaN;
  let step = 0;
  await trainCtc(model, data, {
    steps: m.steps,
    learningRate: m.learningRate,
    clipNorm: m.clipNorm,
    onStep: (n, l, ms) => {
      trainMs += ms;
      loss = l;
      step = n;
    },
  });
  const metric = (await s.score(predictor(model))).metric;
  const params = model.countParams();
  model.dispose();
  return { trainMs, loss, metric, step, params };
}

/** Scores weight files (the model's parameters in order, float32) with the task's evaluation: { file: metric }. */
export async function scoreCtcWeights(files, seed) {
  const tf = await import('@tensorflow/tfjs-core');
  const { SequenceModel } = await import('@gated/cells');
  const { predictor } = await import(join(appDist, 'measure-seed.js'));
  const s = await ctcSetup(undefined);
  const scores = {};
  for (const { kind, file } of files) {
    const model = new SequenceModel(s.options(kind, seed));
    readWeightsInto(model, file, tf, `the ${kind} model`);
    scores[file] = (await s.score(predictor(model))).metric;
    model.dispose();
  }
  return scores;
}
