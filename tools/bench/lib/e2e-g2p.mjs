// The text-g2p half of tools/bench/e2e.mjs. The G2P tasks train encoder–decoders of @gated/seq2seq with their own
// loop (trainG2P of apps/compare/src/tasks/text-g2p.ts), so `gated train` cannot run them; here both peers train
// on the same batches:
//   export: the task's training batches of seed 0 in trainG2P's order (the task's own g2pBatches, which trainG2P
//     draws from: random training pairs with replacement), the initial weights of the task's Seq2Seq (seed 0) under
//     their PyTorch names, and trainG2P's learning rate at every step (the budget's cosine schedule with warm-up);
//   gated: a worker runs trainG2P itself (seed 0: it draws those very batches, each before its step's clock);
//     its time is the sum of trainG2P's per-step times;
//   PyTorch: tools/bench/e2e_torch.py with loss 'seq2seq' (the model in tools/bench/e2e_torch_seq2seq.py);
//   score: gated's final weights and PyTorch's are both scored by the task's own final evaluation (greedy PER, WER
//     beside it, on the task's sample of test words).
// text-g2p (general attention, no input feeding) and text-g2p-plain (no attention) share the loop, the model
// options (g2pModelOptions at the task's g2pShape) and the words scored.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, writeInitialWeights } from './bench-run.mjs';

const appDist = join(repoRoot, 'apps', 'compare', 'dist');
/** The G2P tasks of the default suite, and whether each one's decoder attends. */
const ATTENTION = { 'text-g2p': true, 'text-g2p-plain': false };
export const G2P_TASKS = Object.keys(ATTENTION);

async function g2pSetup(id, stepsOverride) {
  if (!(id in ATTENTION)) throw new Error(`${id} is not one of ${G2P_TASKS.join(', ')}`);
  const { TASKS: registry } = await import(join(appDist, 'tasks', 'registry.js'));
  const { loadG2PData, g2pArchitecture, g2pModelOptions, evaluateG2P } = await import(join(appDist, 'tasks', 'text-g2p.js'));
  const { g2pShape } = await import(join(appDist, 'tasks', 'text-g2p-seed.js'));
  const { evaluationWords } = await import(join(appDist, 'tasks', 'text-g2p-task.js'));
  const { scheduleOptions } = await import(join(appDist, 'budget-schedule.js'));
  const { initBackend } = await import('@gated/tensor');
  await initBackend({ backend: 'wasm' });
  const task = registry[id];
  const budget = { ...task.budgets.default, ...(stepsOverride === undefined ? {} : { steps: stepsOverride }) };
  const data = await loadG2PData();
  const prepared = await task.prepare(budget);
  const options = (kind, seed) => g2pModelOptions(kind, ATTENTION[id], g2pShape(budget.hiddenSize), data.vocabulary, seed);
  // The model this bench builds is the one the task builds (its recorded architecture), or the bench is stale.
  if (g2pArchitecture(options('lstm', 0)) !== prepared.architecture) throw new Error(`${id}: the task's model is "${prepared.architecture}", this bench builds "${g2pArchitecture(options('lstm', 0))}"`);
  const { evalEntries } = evaluationWords(data, budget);
  if (evalEntries.length !== prepared.evaluation.final.examples) throw new Error(`${id}: ${evalEntries.length} test words, the task scores ${prepared.evaluation.final.examples}`);
  // trainG2P's rate at step s (1-based): the schedule at s − 1
  const { schedule } = scheduleOptions(budget);
  const learningRates = Array.from({ length: budget.steps }, (_, i) => (schedule === undefined ? budget.learningRate : schedule.at(i, budget.learningRate)));
  return {
    task,
    budget,
    data,
    prepared,
    learningRates,
    options,
    // The task's own final score (trainG2PSeed's): greedy decoding of its test words.
    score: (model) => {
      const r = evaluateG2P(model, data.vocabulary, evalEntries, 1);
      return { per: r.per, wer: r.wer };
    },
  };
}

/** Writes the batches, initial weights and rates of a G2P task to `dir`; returns the manifest's summary. */
export async function exportG2PData(id, dir, kinds, stepsOverride, seed) {
  const { Seq2Seq } = await import('@gated/seq2seq');
  const { g2pBatches } = await import(join(appDist, 'tasks', 'text-g2p.js'));
  const s = await g2pSetup(id, stepsOverride);
  mkdirSync(dir, { recursive: true });
  const chunks = [];
  let bytes = 0;
  const part = (values, shape) => {
    const buf = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    chunks.push(Buffer.from(buf));
    const p = { dtype: 'int32', shape, offset: bytes, bytes: buf.byteLength };
    bytes += buf.byteLength;
    return p;
  };
  // Rows padded with 0 to the batch's longest (targets without BOS and EOS, as Seq2Seq.loss takes them).
  const padded = (rows) => {
    const width = Math.max(...rows.map((r) => r.length));
    const ids = new Int32Array(rows.length * width);
    rows.forEach((r, b) => {
      ids.set(r, b * width);
    });
    return part(ids, [rows.length, width]);
  };
  // trainG2P's batches: the task's own drawing, seed `seed`, one call per step
  const next = g2pBatches(s.data, s.budget.batchSize, seed);
  const batches = [];
  for (let step = 0; step < s.budget.steps; step++) {
    const pairs = next();
    batches.push({
      source: padded(pairs.map((p) => p.source)),
      lengths: part(Int32Array.from(pairs, (p) => p.source.length), [pairs.length]),
      target: padded(pairs.map((p) => p.target)),
      targetLengths: part(Int32Array.from(pairs, (p) => p.target.length), [pairs.length]),
    });
  }
  writeFileSync(join(dir, 'batches.bin'), Buffer.concat(chunks));
  const init = {};
  const params = {};
  let config;
  for (const kind of kinds) {
    const model = new Seq2Seq(s.options(kind, seed));
    init[kind] = writeInitialWeights(dir, kind, model);
    params[kind] = model.countParams();
    config = model.config;
    model.dispose();
  }
  if (config.inputFeeding) throw new Error(`${id}: input feeding (the PyTorch peer runs the decoder's recurrence as one sequence)`);
  const manifest = {
    task: id,
    metric: s.task.metric,
    steps: s.budget.steps,
    stepsPerEpoch: s.prepared.stepsPerEpoch,
    batchSize: s.budget.batchSize,
    learningRate: s.budget.learningRate,
    schedule: s.budget.schedule ?? null,
    learningRates: s.learningRates,
    clipNorm: 1,
    loss: 'seq2seq',
    // Seq2Seq's resolved options (the PyTorch peer builds the same model from them), and the fields the driver prints.
    model: { ...config, pooling: 'none', input: { kind: 'tokens', vocabSize: config.sourceVocabSize, embeddingDim: config.embeddingDim } },
    evaluation: s.prepared.evaluation.final,
    init,
    batches,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  s.prepared.dispose();
  const { batches: _b, init: _i, learningRates: _l, ...summary } = manifest;
  return { ...summary, params };
}

/** gated's side: trainG2P at the manifest's steps; returns { trainMs, loss, losses, metric, wer, step, params }. */
export async function trainG2PWorker(dir, kind, seed) {
  const { Seq2Seq } = await import('@gated/seq2seq');
  const { trainG2P } = await import(join(appDist, 'tasks', 'text-g2p.js'));
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const s = await g2pSetup(m.task, m.steps);
  const model = new Seq2Seq(s.options(kind, seed));
  // The model starts from the exported weights (the same seed builds them; checked, not assumed).
  const init = new Float32Array(readFileSync(join(dir, `init-${kind}.bin`)).buffer.slice(0));
  for (const [name, v] of Object.entries(model.parameters())) {
    const at = m.init[kind][name]?.offset;
    const values = v.dataSync();
    if (at === undefined || values.some((x, i) => x !== init[at + i])) throw new Error(`${m.task} ${kind}: ${name} is not the exported initial value`);
  }
  let trainMs = 0;
  const losses = [];
  const run = await trainG2P(model, s.data, s.budget, seed, (_step, loss, ms) => {
    trainMs += ms;
    losses.push(loss);
  });
  const { per, wer } = s.score(model);
  const params = model.countParams();
  model.dispose();
  s.prepared.dispose();
  return { trainMs, loss: losses.at(-1), losses, metric: per, wer, step: run.steps, params };
}

/** Scores weight files (the model's parameters in order, float32) with the task's evaluation: { file: PER }. */
export async function scoreG2PWeights(id, files, seed) {
  const { Seq2Seq } = await import('@gated/seq2seq');
  const s = await g2pSetup(id, undefined);
  const scores = {};
  for (const { kind, file } of files) {
    const model = new Seq2Seq(s.options(kind, seed));
    const flat = new Float32Array(readFileSync(file).buffer.slice(0));
    const record = {};
    let offset = 0;
    for (const [name, v] of Object.entries(model.parameters())) {
      record[name] = { shape: v.shape, data: flat.subarray(offset, offset + v.size) };
      offset += v.size;
    }
    if (offset !== flat.length) throw new Error(`${file}: ${flat.length} floats, the ${kind} model has ${offset}`);
    model.loadStateDict(record);
    scores[file] = s.score(model).per;
    model.dispose();
  }
  s.prepared.dispose();
  return scores;
}
