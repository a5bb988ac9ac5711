#!/usr/bin/env node
// End to end on text-lm alone, with a per-part profile of one step (tools/bench/e2e.mjs runs every fit-trained
// default-suite task, text-lm included, the same way and at both thread configurations of PyTorch).
// `gated train --task text-lm --steps N` against the same model, data, budget and optimizer in PyTorch
// (CPU, OpenBLAS), each in its own process, back to back, at each thread count. Build first: `npm run build`
// (the gated CLI and the packages it uses).
//   node tools/bench/text-lm-e2e.mjs [--steps 500] [--threads 1,2] [--kinds lstm,gru] [--rounds 3] [--no-torch]
//   node tools/bench/text-lm-e2e.mjs --profile [--kinds lstm] [--threads 1] [--reps 15]
// The gated side IS `gated train` (apps/compare/bin/gated.js … --json: its trainMs and held-out bpc). The PyTorch
// side (tools/bench/text_lm_torch.py) gets the same data by export, not by re-implementing the windowing: one
// export process draws the N training batches exactly as `gated train` does (the text-lm task's
// RandomWindowDataset, seed 0, epoch e batch k for step e·stepsPerEpoch + k), every held-out window, and the
// initial weights of the gated model (seed 0) under their PyTorch names — so both start from the same weights, see
// the same batches and are scored on the same characters. Same model (embedding 32 → LSTM/GRU 128 → Linear over
// the characters), mean softmax cross-entropy, Adam (lr 0.005, β 0.9/0.999, ε 1e-8), clip_grad_norm_ 1, batch 32 ×
// 64 characters, the loss read every step.
// --rounds repeats the whole sequence (for each thread count, for each kind: gated, then PyTorch) and reports each
// contender's median over the rounds. Ratio = PyTorch time / gated time (> 1: gated is faster); no ratio is printed
// against PyTorch on the reference BLAS. Writes bench-results/text-lm-e2e.json.
// --profile times the parts of one gated training step in this process (medians of --reps): see the trainer README.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeBlas, optimisedBlas, PYTHON, threadEnv, torchAvailable } from './lib/torch-blas.mjs';
import { benchArgs, benchOption } from './lib/bench-args.mjs';
import { fmt, median, spawnJson, writeInitialWeights, writeJson } from './lib/bench-run.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = benchArgs;
const opt = benchOption;
const STEPS = Number(opt('steps', 500));
const KINDS = opt('kinds', 'lstm,gru').split(',');
const THREADS = opt('threads', '1,2').split(',').map(Number);
const ROUNDS = Number(opt('rounds', 3));

// The text-lm task's default budget and model (apps/compare/src/tasks/text-lm.ts, `gated train`): kept in step by
// the checks below (the CLI's report must show the same vocabulary, parameter count and held-out windows).
const TASK = { batchSize: 32, seqLen: 64, embeddingDim: 32, hiddenSize: 128, learningRate: 0.005, clipNorm: 1, seed: 0 };

// ---------------------------------------------------------------- the data both peers train on
async function exportData(dir) {
  const { loadMobyDickLM, RandomWindowDataset } = await import('@gated/datasets-text');
  const { SequenceModel } = await import('@gated/cells');
  const { initBackend } = await import('@gated/tensor');
  await initBackend({ backend: 'wasm' });
  const { batchSize: B, seqLen: T } = TASK;
  const lm = await loadMobyDickLM({ seqLen: T, batchSize: B, sampling: 'random' });
  const stepsPerEpoch = Math.max(1, Math.floor((lm.ids.train.length - 1) / (B * T)));
  const data = new RandomWindowDataset(lm.ids.train, { batchSize: B, seqLen: T, seed: TASK.seed, batchesPerEpoch: stepsPerEpoch });
  const batches = new Int32Array(STEPS * 2 * B * T);
  for (let step = 0; step < STEPS; step++) {
    const { x, y } = data.batch(Math.floor(step / stepsPerEpoch), step % stepsPerEpoch);
    batches.set(x.dataSync(), (2 * step) * B * T);
    batches.set(y.dataSync(), (2 * step + 1) * B * T);
    x.dispose();
    y.dispose();
  }
  // Every non-overlapping held-out window (maxEvalExamples 0 = all): x = ids[s, s+T), y = ids[s+1, s+T+1).
  const test = lm.ids.test;
  const windows = Math.floor((test.length - 1) / T);
  const testBins = new Int32Array(2 * windows * T);
  for (let w = 0; w < windows; w++) {
    testBins.set(test.subarray(w * T, (w + 1) * T), w * T);
    testBins.set(test.subarray(w * T + 1, (w + 1) * T + 1), (windows + w) * T);
  }
  const init = {};
  for (const kind of KINDS) {
    const model = new SequenceModel({ kind, vocabSize: lm.vocabSize, embeddingDim: TASK.embeddingDim, hiddenSize: TASK.hiddenSize, outputSize: lm.vocabSize, pooling: 'none', seed: TASK.seed });
    init[kind] = writeInitialWeights(dir, kind, model);
    model.dispose();
  }
  writeFileSync(join(dir, 'batches.bin'), batches);
  writeFileSync(join(dir, 'test.bin'), testBins);
  const manifest = { ...TASK, steps: STEPS, vocabSize: lm.vocabSize, stepsPerEpoch, testWindows: windows, init };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return manifest;
}

// ---------------------------------------------------------------- --profile: one gated step, part by part
async function profileStep(kind, threads, reps) {
  const tf = await import('@tensorflow/tfjs-core');
  const { initBackend } = await import('@gated/tensor');
  const { SequenceModel, setNativeThreads, nativeInfo, linearCrossEntropy } = await import('@gated/cells');
  const { Adam, computeLoss, globalNorm, clipByGlobalNorm } = await import('@gated/trainer');
  const { loadMobyDickLM, RandomWindowDataset } = await import('@gated/datasets-text');
  await initBackend({ backend: 'wasm' });
  setNativeThreads(threads);
  const { batchSize: B, seqLen: T } = TASK;
  const lm = await loadMobyDickLM({ seqLen: T, batchSize: B, sampling: 'random' });
  const model = new SequenceModel({ kind, vocabSize: lm.vocabSize, embeddingDim: TASK.embeddingDim, hiddenSize: TASK.hiddenSize, outputSize: lm.vocabSize, pooling: 'none', seed: 0 });
  const data = new RandomWindowDataset(lm.ids.train, { batchSize: B, seqLen: T, seed: 0, batchesPerEpoch: 100 });
  const params = model.parameters();
  const vars = Object.values(params);
  const { x, y } = data.batch(0, 0);
  // Every part is timed round-robin (part 1, part 2, …, then again) so load bursts hit all alike, in CPU time of
  // this process (process.cpuUsage: user + system), which a busy machine inflates far less than wall time.
  const parts = [];
  const time = (label, fn) => parts.push({ label, fn, ms: [] });
  // Each part forward + backward on its own, its input fixed (a variable, so its gradient is formed as in a step).
  const taped = (f, on) => () => {
    const { value, grads } = tf.variableGrads(f, on);
    const d = Object.values(grads);
    d[0]?.dataSync();
    tf.dispose([value, ...d]);
  };
  const loss = () => {
    const r = computeLoss('crossEntropy', model.forward(x, { training: true }).output, y);
    r.stats.dispose();
    return r.loss;
  };
  const fusedLoss = () => {
    const r = linearCrossEntropy(model.forwardFeatures(x, { training: true }).features, model.head.weight, model.head.bias, y);
    r.stats.dispose();
    return r.loss;
  };
  const embedded = tf.variable(model.embedding.forward(x));
  const features = tf.variable(model.rnn.forward(embedded, { training: true }).output);
  const rnnVars = Object.values(model.rnn.parameters());
  const headVars = [features, model.head.weight, model.head.bias];
  time('batch', () => tf.dispose(Object.values(data.batch(0, 1))));
  time('embedding', taped(() => tf.sum(model.embedding.forward(x)), [model.embedding.weight]));
  time('recurrent', taped(() => tf.sum(model.rnn.forward(embedded, { training: true }).output), [embedded, ...rnnVars]));
  time('head + CE (tfjs ops)', taped(() => {
    const r = computeLoss('crossEntropy', model.head.forward(features), y);
    r.stats.dispose();
    return r.loss;
  }, headVars));
  time('head + CE (fused)', taped(() => {
    const r = linearCrossEntropy(features, model.head.weight, model.head.bias, y);
    r.stats.dispose();
    return r.loss;
  }, headVars));
  time('whole forward + backward, unfused', taped(loss, vars));
  time('whole forward + backward, fused', taped(fusedLoss, vars));
  const { value, grads } = tf.variableGrads(loss, vars);
  value.dispose();
  const named = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, grads[v.name]]));
  time('norm', () => {
    const n = globalNorm(Object.values(named));
    n.dataSync();
    n.dispose();
  });
  time('norm + clip', () => {
    const n = globalNorm(Object.values(named));
    const c = clipByGlobalNorm(named, 1, n);
    Object.values(c)[0]?.dataSync();
    tf.dispose([n, ...Object.values(c)]);
  });
  const adam = new Adam({});
  time('adam', () => {
    adam.step(params, named, 0.005);
    params['head.bias']?.dataSync();
  });
  const adamTfjs = new Adam({ kernels: 'tfjs' });
  time('adam tfjs', () => {
    adamTfjs.step(params, named, 0.005);
    params['head.bias']?.dataSync();
  });
  for (const p of parts) for (let i = 0; i < 3; i++) p.fn();
  for (let i = 0; i < reps; i++) {
    for (const p of parts) {
      const c0 = process.cpuUsage();
      p.fn();
      const c = process.cpuUsage(c0);
      p.ms.push((c.user + c.system) / 1000);
    }
  }
  const rows = Object.fromEntries(parts.map((p) => [p.label, median(p.ms)]));
  tf.dispose(Object.values(named));
  tf.dispose([embedded, features]);
  adam.dispose();
  adamTfjs.dispose();
  const partsMs = {
    'data batch': rows.batch,
    'embedding fwd+bwd': rows.embedding,
    'recurrent fwd+bwd (native + copies)': rows.recurrent,
    'head + softmax CE (tfjs ops)': rows['head + CE (tfjs ops)'],
    'head + softmax CE (fused, what fit runs)': rows['head + CE (fused)'],
    'global norm + loss read': rows.norm,
    'clip as tfjs ops (fit folds it into adam)': rows['norm + clip'] - rows.norm,
    'adam, all variables (tfjs ops)': rows['adam tfjs'],
    'adam, all variables (in place, what fit runs)': rows.adam,
  };
  // A step as fit now runs it: everything but the unfused head and loss.
  const sumMs = Object.entries(partsMs).filter(([k]) => !k.endsWith('(tfjs ops)') && !k.startsWith('clip as tfjs')).reduce((a, [, b]) => a + b, 0);
  return { kind, threads, native: nativeInfo(), rawMs: rows, partsMs, sumMs, wholeUnfusedMs: rows['whole forward + backward, unfused'], wholeFusedMs: rows['whole forward + backward, fused'] };
}

// ---------------------------------------------------------------- drivers
const self = fileURLToPath(import.meta.url);
if (args[0] === '--export-worker') {
  console.log(JSON.stringify(await exportData(args[1])));
  process.exit(0);
}
if (args[0] === '--profile-worker') {
  console.log(JSON.stringify(await profileStep(args[1], Number(args[2]), Number(opt('reps', 15)))));
  process.exit(0);
}

console.log(`${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
if (args.includes('--profile')) {
  const profiles = [];
  for (const threads of THREADS) for (const kind of KINDS) {
    const p = spawnJson(process.execPath, [self, '--profile-worker', kind, String(threads), '--reps', opt('reps', '15')], threadEnv(threads));
    if (!p) continue;
    profiles.push(p);
    console.log(`\n== ${kind}, ${threads} thread(s), native ${p.native.isa}: one training step, CPU ms, medians of ${opt('reps', '15')} interleaved rounds`);
    for (const [part, ms] of Object.entries(p.partsMs)) console.log(`${part.padEnd(40)}${fmt(ms, 2).padStart(9)}${`${fmt((100 * ms) / p.sumMs, 0)}%`.padStart(7)}`);
    console.log(`${'sum (fused head + CE, as fit runs)'.padEnd(40)}${fmt(p.sumMs, 2).padStart(9)}`);
    console.log(`whole model forward + backward: ${fmt(p.wholeUnfusedMs, 2)} ms with tfjs head + CE, ${fmt(p.wholeFusedMs, 2)} ms fused`);
  }
  writeJson('text-lm-e2e-profile.json', { profiles });
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'gated-text-lm-e2e-'));
try {
  const manifest = spawnJson(process.execPath, [self, '--export-worker', dir, '--steps', String(STEPS), '--kinds', KINDS.join(',')], {});
  if (!manifest) process.exit(1);
  console.log(`text-lm: vocabulary ${manifest.vocabSize}, ${STEPS} steps of ${TASK.batchSize} × ${TASK.seqLen} (${manifest.stepsPerEpoch} per epoch), ${manifest.testWindows} held-out windows`);
  const torchOk = !args.includes('--no-torch') && torchAvailable();
  const gatedCli = join(root, 'apps', 'compare', 'bin', 'gated.js');
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) for (const threads of THREADS) for (const kind of KINDS) {
    const env = threadEnv(threads);
    const row = { round, threads, kind, loadBefore: loadavg()[0] };
    const g = spawnJson(process.execPath, [gatedCli, 'train', '--task', 'text-lm', '--model', kind, '--steps', String(STEPS), '--seed', String(TASK.seed), '--json'], env);
    if (g) {
      // The CLI trained what was exported: same vocabulary (parameter count) and the same held-out windows.
      const params = Object.values(manifest.init[kind]).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
      if (g.params !== params || g.evaluation.examples !== manifest.testWindows || g.step !== STEPS) {
        throw new Error(`gated train ran another set-up than the export: params ${g.params} vs ${params}, windows ${g.evaluation.examples} vs ${manifest.testWindows}, steps ${g.step}`);
      }
      row.gated = { trainMs: g.trainMs, loss: g.loss, bpc: g.metric.value };
    }
    if (torchOk) row.torch = spawnJson(PYTHON, [join(here, 'text_lm_torch.py'), dir, kind, String(threads)], env);
    row.loadAfter = loadavg()[0];
    rounds.push(row);
    console.log(`  round ${round + 1} ${kind} ${threads}t: gated ${fmt(row.gated?.trainMs / 1000, 2)} s (bpc ${fmt(row.gated?.bpc, 3)}), PyTorch ${fmt(row.torch?.trainMs / 1000, 2)} s (bpc ${fmt(row.torch?.bpc, 3)}); load ${fmt(row.loadBefore)} → ${fmt(row.loadAfter)}`);
  }
  const table = [];
  for (const threads of THREADS) {
    const blasReports = rounds.filter((r) => r.threads === threads && r.torch).map((r) => r.torch.blas);
    const blas = blasReports.length > 0 && blasReports.every((b) => optimisedBlas(b) !== null) ? optimisedBlas(blasReports[0]) : null;
    console.log(`\n== ${threads} thread(s), ${STEPS} steps, median of ${ROUNDS} round(s); PyTorch BLAS ${describeBlas(blasReports[0])}`);
    if (blasReports.length > 0 && !blas) console.log('   PyTorch is on the reference BLAS (or none found): no ratios against it are printed.');
    console.log('model'.padEnd(8) + ['gated s', 'PyTorch s', 'torch/gated', 'gated bpc', 'PyTorch bpc', 'Δ bpc', 'ratios/round'].map((h) => h.padStart(13)).join(''));
    for (const kind of KINDS) {
      const rows = rounds.filter((r) => r.threads === threads && r.kind === kind);
      const pick = (who, key) => rows.map((r) => r[who]?.[key]).filter((v) => typeof v === 'number');
      const gMs = pick('gated', 'trainMs'), tMs = pick('torch', 'trainMs');
      const g = gMs.length ? median(gMs) : undefined, t = tMs.length ? median(tMs) : undefined;
      const gb = pick('gated', 'bpc'), tb = pick('torch', 'bpc');
      const perRound = blas ? rows.filter((r) => r.gated && r.torch).map((r) => r.torch.trainMs / r.gated.trainMs) : [];
      const ratio = blas && g && t ? t / g : undefined;
      const dBpc = gb.length && tb.length ? median(gb) - median(tb) : undefined;
      console.log(kind.padEnd(8) + [fmt(g / 1000, 2), fmt(t / 1000, 2), ratio ? `${ratio.toFixed(2)}×` : '—', fmt(gb.length ? median(gb) : undefined, 3), fmt(tb.length ? median(tb) : undefined, 3), fmt(dBpc, 3), perRound.map((r) => r.toFixed(2)).join(' ') || '—'].map((c) => c.padStart(13)).join(''));
      table.push({ threads, kind, steps: STEPS, gatedMs: g ?? null, torchMs: t ?? null, torchOverGated: ratio ?? null, ratiosPerRound: perRound, gatedBpc: gb.length ? median(gb) : null, torchBpc: tb.length ? median(tb) : null, bpcDifference: dBpc ?? null, blas });
    }
  }
  writeJson('text-lm-e2e.json', { steps: STEPS, rounds: ROUNDS, task: { ...TASK, vocabSize: manifest.vocabSize, testWindows: manifest.testWindows }, data: 'exported from gated (batches, held-out windows, initial weights)', table, perRound: rounds });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
