#!/usr/bin/env node
// End to end: `gated train --task T` for each default-suite task trained with `fit`, against the same model, data,
// budget and optimizer in PyTorch (CPU, OpenBLAS), each in its own process, back to back, at each thread count.
// Build first: `npx nx run-many -t build` (the gated CLI and the packages it uses).
//   node tools/bench/e2e.mjs [--tasks text-lm,text-classify,…] [--kinds lstm,gru] [--threads 1,2] [--rounds 1]
//                            [--steps N] [--torch-threading omp,blas] [--no-torch]
// Budgets are the tasks' own (apps/compare/src/tasks, `budgets.default`: hidden size, steps, batch, learning rate),
// read from the built app, so this follows them when they change; --steps N overrides the step count on both sides
// (for a quick look; the ratios that count are at the tasks' budgets).
// The gated side IS `gated train --task T --model K --seed 0 --json --keep last` (its trainMs: the training loop with
// its batch drawing; its metric: the task's own held-out evaluation of the last step's weights, as PyTorch's are). The PyTorch side (tools/bench/e2e_torch.py) gets the same
// data by export, not by re-implementing the tasks: one export process per task prepares it exactly as `gated train`
// does, draws the batches of seed 0 in fit's order (epoch e via setEpoch, at most `size` batches an epoch) and
// writes them with the initial weights of the gated model (seed 0) under their PyTorch names, and fit's learning rate
// at every step (the budget's schedule, e.g. cosine with warm-up) — so both start from the same weights and see the
// same batches at the same rates. PyTorch writes its final weights back and a gated process scores them
// with the task's own `evaluate`, so both metrics come from one implementation. Agreement: same start and batches,
// so the metrics should differ by float rounding drift only; the tolerance per metric is in AGREE below.
// Threads: gated gets GATED_NUM_THREADS=n. PyTorch at n > 1 is run in each configuration of --torch-threading
// (omp: torch.set_num_threads(n) with OPENBLAS_NUM_THREADS=1; blas: torch.set_num_threads(1) with
// OPENBLAS_NUM_THREADS=n; both: n and n, which oversubscribes) and the ratio is taken against its fastest one (named
// in the table). On the loaded shared 2-core machine `omp` stalled (OpenMP threads spin-waiting for a core): 20
// text-classify steps took PyTorch 33.4 s with omp and 10.8 s with blas, 10 timeseries-co2 steps 0.67 vs 0.15 s, and
// 500 text-lm LSTM steps with omp had not finished after 4 minutes (52 s at 1 thread) — so `blas` is PyTorch's fair
// 2-thread set-up there; measure both on a quiet machine (the default). --rounds repeats the whole sequence (task, kind, thread count: gated, then each PyTorch set-up);
// medians over rounds. Ratio = PyTorch time / gated time (> 1: gated is faster); no ratio against the reference BLAS.
// Writes bench-results/e2e.json.
// speech-ctc does not train with `fit` (CTC loss, its own loop), so `gated train` cannot run it: both peers run the
// task's loop on the same exported batches instead (tools/bench/lib/e2e-ctc.mjs). The same for text-g2p and
// text-g2p-plain (the encoder–decoders of @gated/seq2seq, with and without attention, trained by the task's trainG2P):
// both peers train on the task's own batches of seed 0 (tools/bench/lib/e2e-g2p.mjs; PyTorch's model in
// tools/bench/e2e_torch_seq2seq.py), both final weights scored by the task's PER on its test words. For these the
// driver also prints both peers' losses of the first steps, the largest gap over the first 10 and the steps where the
// gap first passes 1e-3 and 1e-2 (same start, same batches: they agree to float rounding at first and part only as
// fast as float drift parts PyTorch from itself; see AGREE). `node tools/bench/e2e-g2p-profile.mjs` shows where
// gated's G2P step time goes.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs, benchOption } from './lib/bench-args.mjs';
import { fmt, median, repoRoot, spawnJson, readWeightsInto, writeInitialWeights, writeJson } from './lib/bench-run.mjs';
import { describeBlas, optimisedBlas, PYTHON, threadEnv, torchAvailable, torchSetup } from './lib/torch-blas.mjs';
import { CTC_TASKS, exportCtcData, scoreCtcWeights, trainCtcWorker } from './lib/e2e-ctc.mjs';
import { G2P_TASKS, exportG2PData, scoreG2PWeights, trainG2PWorker } from './lib/e2e-g2p.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);
const args = benchArgs;
const opt = benchOption;
// The app's internals (the task registry, the model options `gated train` uses) from its build: the bench needs
// exactly what the CLI runs, which the package's public API does not export.
const appDist = join(repoRoot, 'apps', 'compare', 'dist');
const FIT_TASKS = ['text-lm', 'text-classify', 'speech-digits', 'timeseries-co2', 'memory-adding-t50', 'memory-adding-t100', 'memory-adding-t200', 'memory-adding-t400'];
const LOOP_TASKS = [...CTC_TASKS, ...G2P_TASKS];
const TASKS = opt('tasks', [...FIT_TASKS, ...LOOP_TASKS].join(',')).split(',');
const KINDS = opt('kinds', 'lstm,gru').split(',');
const THREADS = opt('threads', '1,2').split(',').map(Number);
const ROUNDS = Number(opt('rounds', 1));
const STEPS = opt('steps', undefined);
const TORCH_THREADING = opt('torch-threading', 'omp,blas').split(',');
const SEED = 0;
const CLIP_NORM = 1;
/** How far the two final metrics may be apart and still agree (same weights and batches: float drift only). */
const AGREE = {
  bpc: { abs: 0.02, text: '±0.02 bits/char' },
  accuracy: { abs: 0.02, text: '±0.02 accuracy' },
  mase: { rel: 0.05, text: '±5% MASE' },
  mse: { rel: 0.25, abs: 0.002, text: '±25% or ±0.002 MSE' },
  'digit error rate': { abs: 0.05, text: '±0.05 digit error rate' },
  // The peers' losses agree to ~1e-6 for the first hundred steps, then rounding compounds until the runs part (|Δ| >
  // 1e-3 first at step 215 / 137 for text-g2p LSTM / GRU in a 400-step run) — at the very step PyTorch parts from
  // itself when its initial weights move by one float32 rounding (215 / 139). Float drift alone moved PyTorch's own
  // final PER by 0.21 / 0.35 points at the 2,000-step budget (the same one-rounding experiment), seeds spread by
  // 0.1–0.4 points (std, the compare README's default-suite run), so ±1.5 points is ≈ 3× drift; a wrong mask,
  // score or state hand-over moves PER by far more (and shows in the losses at step 1).
  'phoneme error rate': { abs: 0.015, text: '±0.015 PER (1.5 points)' },
};
const agrees = (metric, a, b) => {
  const t = AGREE[metric];
  if (!t || a === undefined || b === undefined) return undefined;
  const d = Math.abs(a - b);
  return (t.abs !== undefined && d <= t.abs) || (t.rel !== undefined && d <= t.rel * Math.max(Math.abs(a), Math.abs(b)));
};

for (const t of TASKS) if (!FIT_TASKS.includes(t) && !LOOP_TASKS.includes(t)) throw new Error(`--tasks: ${t} is not one of ${[...FIT_TASKS, ...LOOP_TASKS].join(', ')}`);
/** The model kinds a task runs: the encoder–decoders have no plain-RNN cell. */
const kindsOf = (id) => (G2P_TASKS.includes(id) ? KINDS.filter((k) => k !== 'rnn') : KINDS);
for (const c of TORCH_THREADING) if (!['omp', 'blas', 'both'].includes(c)) throw new Error(`--torch-threading: ${c} is not omp, blas or both`);

async function preparedTask(id) {
  const { TASKS: registry } = await import(join(appDist, 'tasks', 'registry.js'));
  const { recurrentTask } = await import(join(appDist, 'tasks', 'task.js'));
  const { modelOptions } = await import(join(appDist, 'measure-seed.js'));
  const { initBackend } = await import('@gated/tensor');
  await initBackend({ backend: 'wasm' });
  const task = registry[id];
  const budget = task.budgets.default;
  const steps = STEPS === undefined ? budget.steps : Number(STEPS);
  // As `gated train` prepares it.
  const prepared = recurrentTask(await task.prepare({ ...budget, steps }), id);
  const { scheduleOptions } = await import(join(appDist, 'budget-schedule.js'));
  // fit's learning rate at each step (the budget's schedule over the steps run, as `gated train` sets it)
  const { schedule } = scheduleOptions({ ...budget, steps });
  const learningRates = Array.from({ length: steps }, (_, step) => (schedule === undefined ? budget.learningRate : schedule.at(step, budget.learningRate)));
  return { task, budget, steps, prepared, learningRates, options: (kind) => modelOptions(kind, prepared, budget.hiddenSize, SEED) };
}

// ---------------------------------------------------------------- the data both peers train on
async function exportData(id, dir) {
  const { SequenceModel } = await import('@gated/cells');
  const { task, budget, steps, prepared, learningRates, options } = await preparedTask(id);
  mkdirSync(dir, { recursive: true });
  const chunks = [];
  let bytes = 0;
  const part = (t) => {
    const values = t.dataSync();
    const buf = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    chunks.push(Buffer.from(buf));
    const p = { dtype: t.dtype, shape: t.shape, offset: bytes, bytes: buf.byteLength };
    bytes += buf.byteLength;
    return p;
  };
  // fit's order: epoch e (setEpoch), at most `size` batches of it, until `steps`.
  const stream = prepared.trainData(SEED);
  const batches = [];
  for (let epoch = 0; batches.length < steps; epoch++) {
    stream.setEpoch?.(epoch);
    let index = 0;
    for await (const b of stream) {
      if (batches.length >= steps || (stream.size !== undefined && index >= stream.size)) {
        for (const t of [b.x, b.y, b.lengths, b.mask]) t?.dispose();
        break;
      }
      index += 1;
      if (b.mask !== undefined) throw new Error(`${id}: batches with a mask are not exported`);
      batches.push({ x: part(b.x), y: part(b.y), ...(b.lengths ? { lengths: part(b.lengths) } : {}) });
      for (const t of [b.x, b.y, b.lengths]) t?.dispose();
    }
    if (index === 0) throw new Error(`${id}: epoch ${epoch} has no batches`);
  }
  writeFileSync(join(dir, 'batches.bin'), Buffer.concat(chunks));
  const init = {};
  for (const kind of KINDS) {
    const model = new SequenceModel(options(kind));
    init[kind] = writeInitialWeights(dir, kind, model);
    model.dispose();
  }
  const spec = prepared.model;
  if (spec.bidirectional) throw new Error(`${id}: a bidirectional model (gated train builds one direction)`);
  const manifest = {
    task: id,
    metric: task.metric,
    steps,
    stepsPerEpoch: stream.size,
    batchSize: budget.batchSize,
    learningRate: budget.learningRate,
    schedule: budget.schedule ?? null,
    learningRates,
    clipNorm: CLIP_NORM,
    loss: prepared.loss,
    model: { input: spec.input, hiddenSize: budget.hiddenSize, outputSize: spec.outputSize, pooling: spec.pooling },
    evaluation: prepared.evaluation.final,
    init,
    batches,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  prepared.dispose();
  const { batches: _b, init: _i, learningRates: _l, ...summary } = manifest;
  return { ...summary, params: Object.fromEntries(KINDS.map((k) => [k, Object.values(init[k]).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0)])) };
}

// ---------------------------------------------------------------- PyTorch's final weights, scored by the task
async function scoreWeights(id, files) {
  const tf = await import('@tensorflow/tfjs-core');
  const { SequenceModel } = await import('@gated/cells');
  const { predictor } = await import(join(appDist, 'measure-seed.js'));
  const { prepared, options } = await preparedTask(id);
  const scores = {};
  for (const { kind, file } of files) {
    const model = new SequenceModel(options(kind));
    readWeightsInto(model, file, tf, `the ${kind} model`);
    scores[file] = (await prepared.evaluate(predictor(model), { subset: false })).metric;
    model.dispose();
  }
  prepared.dispose();
  return scores;
}

if (args[0] === '--export-worker') {
  console.log(JSON.stringify(await exportData(args[1], args[2])));
  process.exit(0);
}
if (args[0] === '--export-ctc-worker') {
  console.log(JSON.stringify(await exportCtcData(args[2], KINDS, STEPS === undefined ? undefined : Number(STEPS), SEED)));
  process.exit(0);
}
if (args[0] === '--train-ctc-worker') {
  console.log(JSON.stringify(await trainCtcWorker(args[1], args[2], SEED)));
  process.exit(0);
}
if (args[0] === '--score-ctc-worker') {
  console.log(JSON.stringify(await scoreCtcWeights(JSON.parse(readFileSync(args[1], 'utf8')), SEED)));
  process.exit(0);
}
if (args[0] === '--export-g2p-worker') {
  console.log(JSON.stringify(await exportG2PData(args[1], args[2], kindsOf(args[1]), STEPS === undefined ? undefined : Number(STEPS), SEED)));
  process.exit(0);
}
if (args[0] === '--train-g2p-worker') {
  console.log(JSON.stringify(await trainG2PWorker(args[1], args[2], SEED)));
  process.exit(0);
}
if (args[0] === '--score-g2p-worker') {
  console.log(JSON.stringify(await scoreG2PWeights(args[1], JSON.parse(readFileSync(args[2], 'utf8')), SEED)));
  process.exit(0);
}
if (args[0] === '--score-worker') {
  console.log(JSON.stringify(await scoreWeights(args[1], JSON.parse(readFileSync(args[2], 'utf8')))));
  process.exit(0);
}

// ---------------------------------------------------------------- driver
// The task scores PyTorch's final weights it has not scored yet (one process per task).
function scoreTask(id) {
  const files = runs.filter((r) => r.task === id).flatMap((r) => Object.values(r.torch).filter((t) => t.metric === undefined).map((t) => ({ kind: r.kind, file: t.weights })));
  if (files.length === 0) return;
  const list = join(manifests[id].dir, 'score.json');
  writeFileSync(list, JSON.stringify(files));
  const worker = CTC_TASKS.includes(id) ? ['--score-ctc-worker', list] : G2P_TASKS.includes(id) ? ['--score-g2p-worker', id, list] : ['--score-worker', id, list];
  const scores = spawnJson(process.execPath, [self, ...worker], {});
  for (const r of runs) for (const t of Object.values(r.torch)) if (scores && t.weights in scores) t.metric = scores[t.weights];
}

// Prints the tables (when `print`) and writes bench-results/e2e.json from the runs so far.
function summarise(print) {
  const log = print ? console.log : () => {};
  const table = [];
  for (const threads of THREADS) {
    const blasReports = runs.filter((r) => r.threads === threads).flatMap((r) => Object.values(r.torch).map((t) => t.blas));
    const blas = blasReports.length > 0 && blasReports.every((b) => optimisedBlas(b) !== null) ? optimisedBlas(blasReports[0]) : null;
    log(`\n== ${threads} thread(s), median of ${ROUNDS} round(s); PyTorch BLAS ${describeBlas(blasReports[0])}`);
    if (blasReports.length > 0 && !blas) log('   PyTorch is on the reference BLAS (or none found): no ratios against it are printed.');
    log(`${'task'.padEnd(20)}${'model'.padEnd(6)}${['steps', 'gated s', 'PyTorch s', 'torch/gated', 'gated metric', 'torch metric', 'agree', 'ratios/round'].map((h) => h.padStart(13)).join('')}  PyTorch threading (s)`);
    for (const id of TASKS) for (const kind of kindsOf(id)) {
      const m = manifests[id];
      const rows = runs.filter((r) => r.threads === threads && r.task === id && r.kind === kind);
      const gMs = median(rows.map((r) => r.gated?.trainMs).filter((v) => typeof v === 'number'));
      const byHow = Object.fromEntries((threads === 1 ? ['omp'] : TORCH_THREADING).map((how) => [how, median(rows.map((r) => r.torch[how]?.trainMs).filter((v) => typeof v === 'number'))]));
      const best = Object.entries(byHow).filter(([, v]) => v !== undefined).sort((a, b) => a[1] - b[1])[0];
      const how = best?.[0];
      const tMs = best?.[1];
      const gMetric = median(rows.map((r) => r.gated?.metric).filter((v) => typeof v === 'number'));
      const tMetric = how ? median(rows.map((r) => r.torch[how]?.metric).filter((v) => typeof v === 'number')) : undefined;
      const ok = agrees(m.metric.name, gMetric, tMetric);
      const perRound = blas && how ? rows.filter((r) => r.gated && r.torch[how]).map((r) => r.torch[how].trainMs / r.gated.trainMs) : [];
      const ratio = blas && gMs && tMs ? tMs / gMs : undefined;
      const threading = Object.entries(byHow).map(([h, v]) => `${h} ${fmt(v / 1000, 2)}`).join(', ');
      log(`${id.padEnd(20)}${kind.padEnd(6)}${[String(m.steps), fmt(gMs / 1000, 2), fmt(tMs / 1000, 2), ratio ? `${ratio.toFixed(2)}×` : '—', fmt(gMetric, 4), fmt(tMetric, 4), ok === undefined ? '—' : ok ? 'yes' : 'NO', ` ${perRound.map((r) => r.toFixed(2)).join(' ') || '—'}`].map((c) => c.padStart(13)).join('')}  ${threading}`);
      table.push({ threads, task: id, kind, steps: m.steps, gatedMs: gMs ?? null, torchMs: tMs ?? null, torchThreading: how ?? null, torchMsByThreading: byHow, torchOverGated: ratio ?? null, ratiosPerRound: perRound, metric: m.metric.name, gatedMetric: gMetric ?? null, torchMetric: tMetric ?? null, agree: ok ?? null, tolerance: AGREE[m.metric.name]?.text ?? null, blas });
    }
  }
  const budgets = Object.fromEntries(Object.entries(manifests).map(([id, m]) => [id, { steps: m.steps, batchSize: m.batchSize, hiddenSize: m.model.hiddenSize, learningRate: m.learningRate, loss: m.loss, pooling: m.model.pooling }]));
  writeJson('e2e.json', {
    rounds: ROUNDS,
    threads: THREADS,
    torchThreading: { omp: 'torch.set_num_threads(n), OPENBLAS_NUM_THREADS=1', blas: 'torch.set_num_threads(1), OPENBLAS_NUM_THREADS=n', both: 'torch.set_num_threads(n), OPENBLAS_NUM_THREADS=n' },
    data: 'exported from gated (batches of seed 0 in fit order, initial weights); PyTorch final weights scored by the task',
    budgets,
    table,
    perRound: runs.map(({ torch, ...r }) => ({ ...r, torch: Object.fromEntries(Object.entries(torch).map(([h, { weights: _w, blas: _b, losses: _l, ...t }]) => [h, t])) })),
  });
}

console.log(`${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const torchOk = !args.includes('--no-torch') && torchAvailable();
const gatedCli = join(repoRoot, 'apps', 'compare', 'bin', 'gated.js');
const root = mkdtempSync(join(tmpdir(), 'gated-e2e-'));
const manifests = {};
const runs = [];
/** The gated worker's loss at every step of the current run (loop tasks that report them), else undefined. */
let gatedLosses;
/**
 * How two runs' per-step losses compare: the first 5 pairs, the largest gap over the first 10 steps, the first step
 * (1-based) whose gap exceeds 1e-3 and 1e-2 (float drift grows gradually from rounding; a mismatch of the peers jumps
 * early), the last pair and each run's mean loss over its last tenth of steps (drift leaves these close).
 */
const lossAgreement = (gated, torch) => {
  const n = Math.min(gated.length, torch.length);
  const gap = (i) => Math.abs(gated[i] - torch[i]);
  const firstOver = (d) => {
    const i = Array.from({ length: n }, (_, k) => k).find((k) => gap(k) > d);
    return i === undefined ? null : i + 1;
  };
  const tail = Math.max(1, Math.floor(n / 10));
  const meanTail = (xs) => xs.slice(n - tail, n).reduce((a, b) => a + b, 0) / tail;
  return {
    first: Array.from({ length: Math.min(5, n) }, (_, i) => [gated[i], torch[i]]),
    maxAbsDiffFirst10: Math.max(...Array.from({ length: Math.min(10, n) }, (_, i) => gap(i))),
    firstStepOver1e3: firstOver(1e-3),
    firstStepOver1e2: firstOver(1e-2),
    last: [gated[n - 1], torch[n - 1]],
    meanLastTenth: [meanTail(gated), meanTail(torch)],
  };
};
try {
  for (const id of TASKS) {
    if (kindsOf(id).length === 0) {
      console.log(`${id}: skipped (no ${KINDS.join(', ')} model)`);
      continue;
    }
    const dir = join(root, id);
    const exporter = CTC_TASKS.includes(id) ? '--export-ctc-worker' : G2P_TASKS.includes(id) ? '--export-g2p-worker' : '--export-worker';
    const m = spawnJson(process.execPath, [self, exporter, id, dir, '--kinds', KINDS.join(','), ...(STEPS ? ['--steps', STEPS] : [])], {});
    if (!m) process.exit(1);
    manifests[id] = { ...m, dir };
    console.log(`${id}: ${m.steps} steps of batch ${m.batchSize} (${m.stepsPerEpoch} per epoch), H ${m.model.hiddenSize}, lr ${m.learningRate}${m.schedule ? ` (${m.schedule.kind}, warm-up ${m.schedule.warmupSteps})` : ''}, ${m.loss}; ${m.metric.name} on ${m.evaluation.examples} ${m.evaluation.unit}`);
  }
  for (let round = 0; round < ROUNDS; round++) for (const [taskIndex, id] of TASKS.entries()) {
    for (const kind of kindsOf(id)) for (const threads of THREADS) {
      const m = manifests[id];
      const row = { round, threads, task: id, kind, loadBefore: loadavg()[0], torch: {} };
      gatedLosses = undefined;
      if (G2P_TASKS.includes(id)) {
        // trainG2P (the task's own loop; `gated train` does not run encoder–decoders), which draws the exported batches
        const g = spawnJson(process.execPath, [self, '--train-g2p-worker', m.dir, kind], threadEnv(threads));
        if (g) {
          if (g.params !== m.params[kind] || g.step !== m.steps) throw new Error(`${id} ${kind}: the gated worker ran another set-up than the export: params ${g.params} vs ${m.params[kind]}, steps ${g.step} vs ${m.steps}`);
          row.gated = { trainMs: g.trainMs, loss: g.loss, metric: g.metric, wer: g.wer };
          gatedLosses = g.losses;
        }
      } else if (CTC_TASKS.includes(id)) {
        // trainCtc on the exported batches (the task's own loop; `gated train` does not run CTC tasks)
        const g = spawnJson(process.execPath, [self, '--train-ctc-worker', m.dir, kind], threadEnv(threads));
        if (g) {
          if (g.params !== m.params[kind] || g.step !== m.steps) throw new Error(`${id} ${kind}: the gated worker ran another set-up than the export: params ${g.params} vs ${m.params[kind]}, steps ${g.step} vs ${m.steps}`);
          row.gated = { trainMs: g.trainMs, loss: g.loss, metric: g.metric };
        }
      } else {
        const g = spawnJson(process.execPath, [gatedCli, 'train', '--task', id, '--model', kind, '--seed', String(SEED), '--json', '--keep', 'last', ...(STEPS ? ['--steps', STEPS] : [])], threadEnv(threads));
        if (g) {
          if (g.params !== m.params[kind] || g.step !== m.steps || g.evaluation.examples !== m.evaluation.examples) {
            throw new Error(`${id} ${kind}: gated train ran another set-up than the export: params ${g.params} vs ${m.params[kind]}, steps ${g.step} vs ${m.steps}, examples ${g.evaluation.examples} vs ${m.evaluation.examples}`);
          }
          row.gated = { trainMs: g.trainMs, loss: g.loss, metric: g.metric.value };
        }
      }
      if (torchOk) {
        for (const how of threads === 1 ? ['omp'] : TORCH_THREADING) {
          const { env, torchThreads } = torchSetup(threads, how);
          const weights = join(m.dir, `final-${kind}-${threads}-${how}-${round}.bin`);
          const t = spawnJson(PYTHON, [join(here, 'e2e_torch.py'), m.dir, kind, String(torchThreads), weights], env);
          if (t) row.torch[how] = { ...t, weights, ...(gatedLosses ? { lossAgreement: lossAgreement(gatedLosses, t.losses) } : {}) };
        }
      }
      row.loadAfter = loadavg()[0];
      runs.push(row);
      const torchText = Object.entries(row.torch).map(([how, t]) => `PyTorch[${how}] ${fmt(t.trainMs / 1000, 2)} s`).join(', ');
      console.log(`  round ${round + 1} ${threads}t ${id} ${kind}: gated ${fmt(row.gated?.trainMs / 1000, 2)} s (${m.metric.name} ${fmt(row.gated?.metric, 4)}), ${torchText || 'no PyTorch'}; load ${fmt(row.loadBefore)} → ${fmt(row.loadAfter)}`);
      for (const [how, t] of Object.entries(row.torch)) {
        const a = t.lossAgreement;
        if (!a) continue;
        const pairs = a.first.map(([g, p], i) => `${i + 1}: ${g.toFixed(6)} / ${p.toFixed(6)}`).join(', ');
        console.log(
          `    losses gated / PyTorch[${how}] — step ${pairs}; max |Δ| steps 1–10 ${a.maxAbsDiffFirst10.toExponential(2)}; |Δ| first > 1e-3 at step ${a.firstStepOver1e3 ?? '—'}, > 1e-2 at ${a.firstStepOver1e2 ?? '—'}; last step ${a.last.map((v) => v.toFixed(4)).join(' / ')}, mean of the last tenth ${a.meanLastTenth.map((v) => v.toFixed(4)).join(' / ')}`,
        );
      }
    }
    // After each task's runs: its PyTorch weights scored and the results so far written, so a cut-short run leaves them.
    scoreTask(id);
    summarise(round === ROUNDS - 1 && taskIndex === TASKS.length - 1);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
