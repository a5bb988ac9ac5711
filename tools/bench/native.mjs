#!/usr/bin/env node
// Native kernels of @gated/cells against PyTorch (CPU, OpenBLAS) and onnxruntime-node, each peer in its own process,
// run back to back for each thread count. Build first: `npx nx run @gated/cells:build` (and @gated/onnx for ORT).
//   node tools/bench/native.mjs [--threads 1,2] [--reps N] [--rounds N] [--torch-threading omp,blas,both] [--no-wasm]
//                               [--no-torch] [--no-ort]
// --rounds repeats the whole sequence of processes (gated, PyTorch, ORT for each thread count) and reports each
// contender's median over the rounds: on a shared machine one round can land in a burst of load.
// Workloads (LSTM and GRU; GRU in PyTorch's reset-after form everywhere):
//   W1 train: batch 32, seq 50, in 32, hidden 128 — forward, dense head (10 classes) on h_n, softmax CE, Adam: on the
//   native kernels the head + loss is linearCrossEntropy and the update nativeAdamStep, as @gated/trainer's fit runs
//   them there; on the wasm kernels tfjs's matMul, softmaxCrossEntropy and train.adam (PyTorch: nn.Linear,
//   F.cross_entropy, optim.Adam).
//   W3 train / inference: batch 64, seq 100, in 64, hidden 256.   W2 inference: batch 1, seq 200, in 32, hidden 256.
//   stream: one frame [1, 1, 32] at a time through hidden 256, state carried — µs per frame.
// Inference materialises the whole output sequence. Times are medians of --reps steps (W2 3×) after 2 warm-ups.
// PyTorch at n > 1 threads runs once per configuration of --torch-threading (lib/torch-blas.mjs: omp = its OpenMP
// threads over a 1-thread OpenBLAS, blas = 1 torch thread over an n-thread OpenBLAS, both = n and n, which
// oversubscribes the cores); each workload's ratio is against the fastest, named in the table and the JSON.
// Ratios are peer time / gated time (> 1: gated is faster). GFLOP/s count the matrix products only: forward
// 2·T·B·(I+H)·G, a training step 3× that. Writes bench-results/native.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { optimisedBlas, PYTHON, TORCH_THREADING, threadEnv, torchAvailable, torchSetup, torchThreadingList } from './lib/torch-blas.mjs';
import { benchArgs, benchOption } from './lib/bench-args.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = benchArgs;
const opt = benchOption;
const REPS = Number(opt('reps', 7));
const STREAM_FRAMES = 200;
const W = { W1: [32, 50, 32, 128], W3: [64, 100, 64, 256], W2: [1, 200, 32, 256] };
const KINDS = ['lstm', 'gru'];
const KEYS = KINDS.flatMap((k) => [`W1 train ${k}`, `W3 train ${k}`, `W3 inference ${k}`, `W2 inference ${k}`, `stream ${k} (µs/frame)`]);

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const gates = (kind) => (kind === 'lstm' ? 4 : 3);
function flopsOf(key) {
  const [w, mode, kind] = key.split(' ');
  if (w === 'stream') return 0;
  const [B, T, I, H] = W[w];
  const fwd = 2 * T * B * (I + H) * gates(kind) * H;
  return mode === 'train' ? 3 * fwd : fwd;
}

// ---------------------------------------------------------------- workers (one process each)
async function gatedWorker(kernels, threads) {
  const tf = await import('@tensorflow/tfjs-core');
  const { initBackend } = await import('@gated/tensor');
  const cells = await import('@gated/cells');
  await initBackend({ backend: 'wasm' });
  if (kernels === 'native') cells.setNativeThreads(threads);
  const time = (fn, reps = REPS) => {
    for (let i = 0; i < 2; i++) fn();
    const ms = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      fn();
      ms.push(performance.now() - t0);
    }
    return median(ms);
  };
  const u = (shape, seed, s = 0.1) => tf.randomUniform(shape, -s, s, 'float32', seed);
  const seq = (kind) => (kind === 'lstm' ? cells.fusedLstmSequence : cells.fusedGruSequence);
  const weights = (kind, I, H, variables) => {
    const G = gates(kind) * H, v = (t) => (variables ? tf.variable(t) : t);
    return { weightIh: v(u([G, I], 1, 1 / Math.sqrt(H))), weightHh: v(u([G, H], 2, 1 / Math.sqrt(H))), biasIh: v(u([G], 3)), biasHh: v(u([G], 4)) };
  };
  const ms = {};
  for (const kind of KINDS) {
    for (const w of ['W1', 'W3']) {
      const [B, T, I, H] = W[w];
      const wt = weights(kind, I, H, true);
      const head = { weight: tf.variable(u([10, H], 5)), bias: tf.variable(u([10], 6)) };
      const x = u([B, T, I], 7, 1), ids = tf.randomUniformInt([B], 0, 10, 8), y = tf.oneHot(ids, 10);
      const vars = [...Object.values(wt), head.weight, head.bias];
      let step;
      let extra = [];
      if (kernels === 'native') {
        const slots = vars.map((param) => ({ param, expAvg: tf.variable(tf.zerosLike(param)), expAvgSq: tf.variable(tf.zerosLike(param)) }));
        extra = slots.flatMap((s) => [s.expAvg, s.expAvgSq]);
        let n = 0;
        step = () => {
          const { value, grads } = tf.variableGrads(() => {
            const { h } = seq(kind)(x, wt, { kernels });
            return cells.linearCrossEntropy(h, head.weight, head.bias, ids, { kernels: 'native' }).loss;
          }, vars);
          n += 1;
          cells.nativeAdamStep(slots.map((s) => ({ ...s, grad: grads[s.param.name] })), { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: n });
          value.dataSync();
          tf.dispose([value, ...Object.values(grads)]);
        };
      } else {
        const adam = tf.train.adam(1e-3);
        step = () => adam.minimize(() => {
          const { h } = seq(kind)(x, wt, { kernels });
          return tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(h, head.weight, false, true), head.bias));
        }, true, vars).dataSync();
      }
      ms[`${w} train ${kind}`] = time(step);
      tf.dispose([...vars, ...extra, x, y, ids]);
    }
    for (const w of ['W3', 'W2']) {
      const [B, T, I, H] = W[w];
      const wt = weights(kind, I, H, false);
      const x = u([B, T, I], 7, 1);
      ms[`${w} inference ${kind}`] = time(() => tf.tidy(() => {
        seq(kind)(x, wt, { kernels }).output.dataSync();
      }), B === 1 ? 3 * REPS : REPS);
      tf.dispose([...Object.values(wt), x]);
    }
    const Layer = kind === 'lstm' ? cells.LSTM : cells.GRU;
    const layer = new Layer({ inputSize: 32, hiddenSize: 256, seed: 1 });
    const stream = layer.stream({ kernels });
    const frames = Array.from({ length: STREAM_FRAMES }, (_, t) => Float32Array.from({ length: 32 }, (_, i) => Math.sin(t + i)));
    ms[`stream ${kind} (µs/frame)`] = (time(() => {
      stream.reset();
      for (const f of frames) stream.push(f);
    }, Math.max(3, REPS >> 1)) * 1000) / STREAM_FRAMES;
    layer.dispose();
  }
  const out = { kernels, threads, ms };
  if (kernels === 'native') {
    out.native = cells.nativeInfo();
    // the kernels' own GEMM at 512³ (best of 5): the yardstick for the GFLOP/s above
    const { nativeKernel } = await import(join(root, 'packages/cells/dist/native/native-addon.js'));
    const k = nativeKernel(), n = 512;
    k.arena_reset();
    const pa = k.arena_alloc(n * n * 4), pb = k.arena_alloc(n * n * 4), pc = k.arena_alloc(n * n * 4);
    new Float32Array(k.memory.buffer, pa, n * n).fill(0.5);
    new Float32Array(k.memory.buffer, pb, n * n).fill(0.25);
    const best = Math.min(...Array.from({ length: 6 }, () => {
      const t0 = performance.now();
      k.sgemm(n, n, n, pa, pb, pc);
      return performance.now() - t0;
    }));
    out.sgemm512GflopS = (2 * n ** 3) / best / 1e6;
  }
  return out;
}

async function ortWorker(threads) {
  const ort = await import('onnxruntime-node');
  const { exportOnnx } = await import('@gated/onnx');
  const cells = await import('@gated/cells');
  const { initBackend } = await import('@gated/tensor');
  await initBackend({ backend: 'wasm' });
  const ms = {};
  for (const kind of KINDS) {
    for (const w of ['W3', 'W2']) {
      const [B, T, I, H] = W[w];
      const Layer = kind === 'lstm' ? cells.LSTM : cells.GRU;
      const layer = new Layer({ inputSize: I, hiddenSize: H, seed: 1 });
      const session = await ort.InferenceSession.create(exportOnnx(layer), {
        intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential',
      });
      const x = Float32Array.from({ length: B * T * I }, (_, i) => Math.sin(i));
      const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', x, [B, T, I]) };
      const run = async () => {
        const out = await session.run(feeds);
        out[session.outputNames[0]].data;
      };
      for (let i = 0; i < 2; i++) await run();
      const times = [];
      for (let i = 0; i < (B === 1 ? 3 * REPS : REPS); i++) {
        const t0 = performance.now();
        await run();
        times.push(performance.now() - t0);
      }
      ms[`${w} inference ${kind}`] = median(times);
      await session.release();
      layer.dispose();
    }
  }
  return { threads, ms, ort: ort.env?.versions?.node ?? 'onnxruntime-node' };
}

// ---------------------------------------------------------------- driver
function spawnJson(cmd, argv, env) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    console.error(`${cmd} ${argv.join(' ')} failed:\n${r.stderr.slice(-2000)}`);
    return null;
  }
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  return line ? JSON.parse(line) : null;
}

if (args[0] === '--worker') {
  const [, who, kernels, threads] = args;
  const envThreads = Number(threads);
  const result = who === 'gated' ? await gatedWorker(kernels, envThreads) : await ortWorker(envThreads);
  console.log(JSON.stringify(result));
  process.exit(0);
}

const threadCounts = opt('threads', '1,2').split(',').map(Number);
const ROUNDS = Number(opt('rounds', 1));
const TORCH_HOWS = torchThreadingList(opt('torch-threading', 'omp,blas,both'));
const torchOk = !args.includes('--no-torch') && torchAvailable();
const runs = [];
const self = fileURLToPath(import.meta.url);
console.log(`${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; reps ${REPS}`);
const rounds = [];
for (let round = 0; round < ROUNDS; round++) for (const threads of threadCounts) {
  const env = threadEnv(threads);
  const row = { round, threads, loadBefore: loadavg()[0] };
  row.gated = spawnJson(process.execPath, [self, '--worker', 'gated', 'native', String(threads), '--reps', String(REPS)], env);
  if (torchOk) {
    // one process per PyTorch threading set-up (at 1 thread there is one)
    row.torch = {};
    for (const how of threads === 1 ? ['omp'] : TORCH_HOWS) {
      const setup = torchSetup(threads, how);
      const got = spawnJson(PYTHON, [join(here, 'native_torch.py'), String(setup.torchThreads), String(REPS), String(STREAM_FRAMES)], setup.env);
      if (got) row.torch[how] = got;
    }
  }
  if (!args.includes('--no-ort')) row.ort = spawnJson(process.execPath, [self, '--worker', 'ort', 'x', String(threads), '--reps', String(REPS)], env);
  if (threads === 1 && !args.includes('--no-wasm')) row.wasm = spawnJson(process.execPath, [self, '--worker', 'gated', 'wasm', '1', '--reps', String(REPS)], env);
  row.loadAfter = loadavg()[0];
  rounds.push(row);
}
// per thread count: each contender's median over the rounds, key by key
for (const threads of threadCounts) {
  const rows = rounds.filter((r) => r.threads === threads);
  const merged = { threads, rounds: rows.length, loadBefore: Math.min(...rows.map((r) => r.loadBefore)), loadAfter: Math.max(...rows.map((r) => r.loadAfter)) };
  // PyTorch: each set-up's median over the rounds, key by key, then the fastest set-up per key
  const hows = [...new Set(rows.flatMap((r) => Object.keys(r.torch ?? {})))];
  if (hows.length > 0) {
    const first = rows.flatMap((r) => Object.values(r.torch ?? {}))[0];
    const byHow = Object.fromEntries(hows.map((how) => {
      const got = rows.map((r) => r.torch?.[how]).filter(Boolean);
      return [how, Object.fromEntries(KEYS.filter((k) => got.some((g) => g.ms[k] !== undefined)).map((k) => [k, median(got.map((g) => g.ms[k]).filter((v) => v !== undefined))]))];
    }));
    const ms = {}, setup = {};
    for (const key of KEYS) for (const how of hows) {
      const v = byHow[how][key];
      if (v !== undefined && (ms[key] === undefined || v < ms[key])) {
        ms[key] = v;
        setup[key] = how;
      }
    }
    merged.torch = { torch: first.torch, blas: first.blas, ms, setup, msBySetup: byHow };
  }
  for (const who of ['gated', 'ort', 'wasm']) {
    const got = rows.map((r) => r[who]).filter(Boolean);
    if (got.length === 0) continue;
    merged[who] = { ...got[0], ms: Object.fromEntries(KEYS.filter((k) => got.some((g) => g.ms[k] !== undefined)).map((k) => [k, median(got.map((g) => g.ms[k]).filter((v) => v !== undefined))])) };
    if (who === 'gated') merged.gated.sgemm512GflopS = Math.max(...got.map((g) => g.sgemm512GflopS ?? 0));
  }
  runs.push(merged);
}

// A ratio against PyTorch needs an optimised BLAS under it: Debian's torch reports BLAS_INFO=generic, so look at
// the library the process actually mapped; the reference BLAS (…/blas/libblas.so.3) gets no ratio.
const fmt = (v, d = 1) => (v === undefined || v === null ? '—' : v.toFixed(d));
const table = [];
for (const run of runs) {
  const torchBlas = optimisedBlas(run.torch?.blas);
  console.log(`\n== ${run.threads} thread(s), median of ${run.rounds} round(s) — native ${run.gated?.native?.isa ?? '?'}, sgemm 512³ ${fmt(run.gated?.sgemm512GflopS)} GFLOP/s; torch ${run.torch?.torch ?? 'absent'} BLAS ${run.torch ? `${run.torch.blas.config} → ${run.torch.blas.libraries.join(', ') || 'none found'} (mm 1024³ ${fmt(run.torch.blas.sgemm1024GflopS)} GFLOP/s)` : '—'}; load ${fmt(run.loadBefore)} → ${fmt(run.loadAfter)}`);
  if (run.torch && !torchBlas) console.log('   PyTorch is on the reference BLAS (or none found): no ratios against it are printed.');
  const setups = Object.keys(run.torch?.msBySetup ?? {});
  if (run.threads > 1 && setups.length > 0) console.log(`PyTorch set-ups (fastest per workload is compared): ${setups.map((h) => `${h} = ${TORCH_THREADING[h]}`).join('; ')}`);
  console.log('workload'.padEnd(26) + ['gated native', 'GFLOP/s', 'wasm', 'PyTorch', 'torch/gated', 'ORT', 'ORT/gated'].map((h) => h.padStart(13)).join('') + (run.threads > 1 ? `  PyTorch by set-up (${setups.join(' / ')})` : ''));
  for (const key of KEYS) {
    const g = run.gated?.ms[key], t = run.torch?.ms[key], o = run.ort?.ms[key], wa = run.wasm?.ms[key];
    const gf = flopsOf(key) && g ? flopsOf(key) / g / 1e6 : undefined;
    const rt = torchBlas && t && g ? t / g : undefined, ro = o && g ? o / g : undefined;
    const how = run.torch?.setup[key];
    const bySetup = Object.fromEntries(setups.map((h) => [h, run.torch.msBySetup[h][key] ?? null]));
    const setupText = run.threads > 1 && how ? `  ${how} wins: ${setups.map((h) => fmt(bySetup[h], 2)).join(' / ')}` : '';
    console.log(key.padEnd(26) + [fmt(g, 2), fmt(gf), fmt(wa, 2), fmt(t, 2), rt ? `${rt.toFixed(2)}×` : '—', fmt(o, 2), ro ? `${ro.toFixed(2)}×` : '—'].map((c) => c.padStart(13)).join('') + setupText);
    table.push({ threads: run.threads, workload: key, gatedMs: g ?? null, gatedGflopS: gf ?? null, wasmMs: wa ?? null, torchMs: t ?? null, torchSetup: how ?? null, torchMsBySetup: bySetup, torchOverGated: rt ?? null, ortMs: o ?? null, ortOverGated: ro ?? null });
  }
}

const out = join(root, 'bench-results', 'native.json');
mkdirSync(dirname(out), { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
})();
writeFileSync(tmp, `${JSON.stringify({ date: new Date().toISOString(), commit, cpu: cpus()[0]?.model, cores: cpus().length, reps: REPS, rounds: ROUNDS, torchSetups: Object.fromEntries(TORCH_HOWS.map((h) => [h, TORCH_THREADING[h]])), runs, table, perRound: rounds }, null, 2)}\n`);
renameSync(tmp, out);
console.log(`\nwrote ${out}`);
