#!/usr/bin/env node
// Fused recurrent kernels vs tf.layers on tfjs's wasm backend (interleaved, one process), and vs PyTorch when
// /usr/bin/python3 has torch. Build first: `npx nx run @gated/cells:build`. Writes bench-results/fused.json.
//   W1: training step, batch 32, seq 50, input 32, hidden 128, dense head (10 classes), softmax CE, Adam.
//   W2: inference latency, batch 1, seq 200, input 32 (FUSED_W2_INPUT), hidden 256.
// Env: FUSED_BENCH_REPS (default 12 timed steps per contender and workload; W2 takes 3×), FUSED_W2_INPUT.
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '@gated/tensor';

await import('./lib/tfjs-layers-in-node.mjs');

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cells = await import('@gated/cells');
// @gated/cells exports the fused sequence functions but not the yardstick (fusedSgemm) or fusedAvailable's
// companions; the built fused entry has all of them.
const fused = 'fusedSgemm' in cells ? cells : await import(join(root, 'packages/cells/dist/fused/index.js'));
const REPS = Number(process.env.FUSED_BENCH_REPS ?? 12);
const WARMUP = 3;

const backend = await initBackend({ backend: 'wasm' });
console.log(`tfjs ${tf.version_core} backend ${backend}; wasm SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}; fused kernels available: ${fused.fusedAvailable()}`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};
/** Runs each contender's step `REPS` times, interleaved (A, B, A, B, …) after a warm-up; returns medians in ms. */
function interleaved(contenders, reps = REPS) {
  for (const c of contenders) for (let i = 0; i < WARMUP; i++) c.step();
  const samples = contenders.map(() => []);
  for (let r = 0; r < reps; r++) {
    for (const [i, c] of contenders.entries()) samples[i].push(time(c.step));
  }
  return Object.fromEntries(contenders.map((c, i) => [c.name, median(samples[i])]));
}

const uniform = (shape, seed, scale = 0.1) => tf.randomUniform(shape, -scale, scale, 'float32', seed);

// ---------- W1: training step ----------
const W1 = { B: 32, T: 50, I: 32, H: 128, classes: 10 };

function fusedTrainer(kind) {
  const { B, T, I, H, classes } = W1;
  const G = (kind === 'lstm' ? 4 : 3) * H;
  const v = (shape, seed) => tf.variable(uniform(shape, seed, 1 / Math.sqrt(H)));
  const w = { weightIh: v([G, I], 1), weightHh: v([G, H], 2), biasIh: v([G], 3), biasHh: v([G], 4) };
  const head = { weight: v([classes, H], 5), bias: v([classes], 6) };
  const x = uniform([B, T, I], 7, 1);
  const y = tf.oneHot(tf.randomUniformInt([B], 0, classes, 8), classes);
  const opt = tf.train.adam(1e-3);
  const vars = [...Object.values(w), head.weight, head.bias];
  const forward = (xs) => {
    const res = kind === 'lstm' ? fused.fusedLstmSequence(xs, w) : fused.fusedGruSequence(xs, w, { resetAfter: false });
    return tf.add(tf.matMul(res.h, head.weight, false, true), head.bias);
  };
  return {
    name: `fused ${kind}`,
    step: () => opt.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(x)), true, vars).dataSync(),
    dispose: () => tf.dispose([...vars, x, y]),
  };
}

function layersTrainer(kind) {
  const { B, T, I, H, classes } = W1;
  const rnn = kind === 'lstm'
    ? tfl.layers.lstm({ units: H, recurrentActivation: 'sigmoid', inputShape: [T, I] })
    : tfl.layers.gru({ units: H, recurrentActivation: 'sigmoid', inputShape: [T, I] });
  const dense = tfl.layers.dense({ units: classes });
  const x = uniform([B, T, I], 7, 1);
  const y = tf.oneHot(tf.randomUniformInt([B], 0, classes, 8), classes);
  const forward = (xs) => dense.apply(rnn.apply(xs));
  tf.tidy(() => forward(x)); // builds the layers' weights
  const vars = [...rnn.trainableWeights, ...dense.trainableWeights].map((lv) => lv.read());
  const opt = tf.train.adam(1e-3);
  return {
    name: `tf.layers ${kind}`,
    step: () => opt.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(x)), true, vars).dataSync(),
    dispose: () => tf.dispose([x, y]),
  };
}

// ---------- W2: inference latency ----------
// The issue leaves W2's input size open; 32 as in W1 (FUSED_W2_INPUT overrides).
const W2 = { B: 1, T: 200, I: Number(process.env.FUSED_W2_INPUT ?? 32), H: 256 };

function fusedInference(kind) {
  const { B, T, I, H } = W2;
  const G = (kind === 'lstm' ? 4 : 3) * H;
  const w = { weightIh: uniform([G, I], 11), weightHh: uniform([G, H], 12), biasIh: uniform([G], 13), biasHh: uniform([G], 14) };
  const x = uniform([B, T, I], 15, 1);
  return {
    name: `fused ${kind}`,
    // (no value returned from tidy: it would walk every element of the typed array)
    step: () => tf.tidy(() => {
      (kind === 'lstm' ? fused.fusedLstmSequence(x, w) : fused.fusedGruSequence(x, w, { resetAfter: false })).output.dataSync();
    }),
    dispose: () => tf.dispose([...Object.values(w), x]),
  };
}

function layersInference(kind) {
  const { B, T, I, H } = W2;
  const rnn = kind === 'lstm'
    ? tfl.layers.lstm({ units: H, recurrentActivation: 'sigmoid', returnSequences: true, inputShape: [T, I] })
    : tfl.layers.gru({ units: H, recurrentActivation: 'sigmoid', returnSequences: true, inputShape: [T, I] });
  const x = uniform([B, T, I], 15, 1);
  return {
    name: `tf.layers ${kind}`,
    step: () => tf.tidy(() => {
      rnn.apply(x).dataSync();
    }),
    dispose: () => tf.dispose([x]),
  };
}

// FLOPs of the matrix products (gate math and the head ignored): forward 2·T·B·(I+H)·G, backward twice that.
const flops = (w, kind, training) => {
  const G = (kind === 'lstm' ? 4 : 3) * w.H;
  const fwd = 2 * w.T * w.B * (w.I + w.H) * G;
  return training ? 3 * fwd : fwd;
};

async function peakBytes(contender) {
  return (await tf.profile(() => contender.step())).peakBytes;
}

// ---------- yardsticks: GEMM rates ----------
// Yardsticks are rates the hardware reaches, so they take the best of several runs (not the median).
const best = (xs) => Math.min(...xs);
function gemmRates() {
  const [m, n, k] = [512, 512, 512];
  const a = tf.randomUniform([m, k]), b = tf.randomUniform([k, n]);
  const tfjsMs = best(Array.from({ length: 7 }, () => time(() => tf.tidy(() => {
    tf.matMul(a, b).dataSync();
  }))));
  const ad = a.dataSync(), bd = b.dataSync();
  const fusedMs = best(Array.from({ length: 7 }, () => time(() => fused.fusedSgemm(ad, bd, m, n, k))));
  // the recurrent step's own shape: [32, 128] · [128, 512]
  const sa = new Float32Array(32 * 128).fill(0.5), sb = new Float32Array(128 * 512).fill(0.25);
  const stepMs = best(Array.from({ length: 7 }, () => time(() => { for (let i = 0; i < 50; i++) fused.fusedSgemm(sa, sb, 32, 512, 128); }))) / 50;
  tf.dispose([a, b]);
  const g = (f, ms) => f / ms / 1e6;
  return {
    tfjsWasmMatMul: g(2 * m * n * k, tfjsMs),
    fusedSgemm: g(2 * m * n * k, fusedMs),
    fusedSgemmStepShape: g(2 * 32 * 128 * 512, stepMs),
  };
}

const PYTORCH = String.raw`
import json, os, time, torch
torch.manual_seed(0)
torch.set_num_threads(os.cpu_count())
reps = int(os.environ.get('FUSED_BENCH_REPS', '12'))
def med(xs): return sorted(xs)[len(xs) // 2]
def timed(fn, n):
    for _ in range(3): fn()
    out = []
    for _ in range(n):
        t0 = time.perf_counter(); fn(); out.append((time.perf_counter() - t0) * 1000)
    return med(out)
import re
blas = re.search(r'BLAS_INFO=(\w+)', torch.__config__.show())
res = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'blas': blas.group(1) if blas else 'unknown'}
B, T, I, H, C = 32, 50, 32, 128, 10
for kind, cls in (('lstm', torch.nn.LSTM), ('gru', torch.nn.GRU)):
    rnn, head = cls(I, H, batch_first=True), torch.nn.Linear(H, C)
    opt = torch.optim.Adam(list(rnn.parameters()) + list(head.parameters()), lr=1e-3)
    x, y = torch.rand(B, T, I) * 2 - 1, torch.randint(0, C, (B,))
    def step():
        opt.zero_grad(); out, _ = rnn(x); loss = torch.nn.functional.cross_entropy(head(out[:, -1]), y); loss.backward(); opt.step()
    res['w1_' + kind] = timed(step, reps)
    rnn2 = cls(32, 256, batch_first=True)
    x2 = torch.rand(1, 200, 32) * 2 - 1
    def infer():
        with torch.no_grad(): rnn2(x2)
    res['w2_' + kind] = timed(infer, reps)
a, b = torch.rand(1024, 1024), torch.rand(1024, 1024)
for _ in range(3): torch.mm(a, b)
ms = []
for _ in range(10):
    t0 = time.perf_counter(); torch.mm(a, b); ms.append((time.perf_counter() - t0) * 1000)
ms = min(ms)  # a yardstick: the best run
res['sgemm_gflops'] = 2 * 1024 ** 3 / ms / 1e6
print(json.dumps(res))
`;

function runPytorch() {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    console.log('PyTorch: skipped (/usr/bin/python3 -c "import torch" fails)');
    return null;
  }
  const out = execFileSync('/usr/bin/python3', ['-c', PYTORCH], { encoding: 'utf8', env: { ...process.env, FUSED_BENCH_REPS: String(REPS) } });
  return JSON.parse(out.trim().split('\n').pop());
}

// ---------- run ----------
const result = { tfjs: tf.version_core, backend, reps: REPS, cores: availableParallelism(), workloads: { W1, W2 }, w1: {}, w2: {}, memory: {} };
const fmt = (x) => x.toFixed(1);

for (const kind of ['lstm', 'gru']) {
  const ours = fusedTrainer(kind), peer = layersTrainer(kind);
  const ms = interleaved([ours, peer]);
  const f = flops(W1, kind, true);
  result.w1[kind] = { fusedMs: ms[ours.name], layersMs: ms[peer.name], speedup: ms[peer.name] / ms[ours.name], fusedGflops: f / ms[ours.name] / 1e6 };
  // what the fused forward keeps for the backward, per time step of this layer (float32): LSTM i,f,g,o,c; GRU r,z,n
  const keptFloats = (kind === 'lstm' ? 5 : 3) * W1.H * W1.B;
  result.memory[kind] = { fusedPeakBytes: await peakBytes(ours), layersPeakBytes: await peakBytes(peer), fusedKeptBytesPerStep: keptFloats * 4 };
  console.log(`W1 ${kind} training step: fused ${fmt(ms[ours.name])} ms, tf.layers ${fmt(ms[peer.name])} ms → ${fmt(result.w1[kind].speedup)}× faster; ${fmt(result.w1[kind].fusedGflops)} GFLOP/s; kept for the backward ${(result.memory[kind].fusedKeptBytesPerStep / 1024).toFixed(0)} KiB per step; peak tensor bytes fused ${(result.memory[kind].fusedPeakBytes / 2 ** 20).toFixed(1)} MiB vs tf.layers ${(result.memory[kind].layersPeakBytes / 2 ** 20).toFixed(1)} MiB`);
  ours.dispose();
  peer.dispose();
}

for (const kind of ['lstm', 'gru']) {
  const ours = fusedInference(kind), peer = layersInference(kind);
  const ms = interleaved([ours, peer], 3 * REPS);
  const f = flops(W2, kind, false);
  result.w2[kind] = { fusedMs: ms[ours.name], layersMs: ms[peer.name], speedup: ms[peer.name] / ms[ours.name], fusedGflops: f / ms[ours.name] / 1e6 };
  console.log(`W2 ${kind} inference: fused ${fmt(ms[ours.name])} ms, tf.layers ${fmt(ms[peer.name])} ms → ${fmt(result.w2[kind].speedup)}× faster; ${fmt(result.w2[kind].fusedGflops)} GFLOP/s`);
  ours.dispose();
  peer.dispose();
}

result.gemm = gemmRates();
console.log(`GEMM yardsticks (GFLOP/s): fused sgemm 512³ ${fmt(result.gemm.fusedSgemm)}, at the step shape 32×128·128×512 ${fmt(result.gemm.fusedSgemmStepShape)}, tfjs wasm matMul 512³ ${fmt(result.gemm.tfjsWasmMatMul)}`);

const torch = runPytorch();
if (torch) {
  result.pytorch = torch;
  result.gemm.machineSgemm = torch.sgemm_gflops;
  for (const kind of ['lstm', 'gru']) {
    result.w1[kind].pytorchMs = torch[`w1_${kind}`];
    result.w1[kind].vsPytorch = torch[`w1_${kind}`] / result.w1[kind].fusedMs;
    result.w2[kind].pytorchMs = torch[`w2_${kind}`];
    result.w2[kind].vsPytorch = torch[`w2_${kind}`] / result.w2[kind].fusedMs;
    console.log(`PyTorch ${torch.torch} (${torch.threads} threads) ${kind}: W1 ${fmt(torch[`w1_${kind}`])} ms → fused is ${result.w1[kind].vsPytorch.toFixed(2)}× PyTorch's speed; W2 ${fmt(torch[`w2_${kind}`])} ms → ${result.w2[kind].vsPytorch.toFixed(2)}×`);
  }
  for (const kind of ['lstm', 'gru']) {
    result.w1[kind].fractionOfMachineSgemm = result.w1[kind].fusedGflops / torch.sgemm_gflops;
    console.log(`W1 ${kind}: ${fmt(result.w1[kind].fusedGflops)} GFLOP/s = ${(100 * result.w1[kind].fractionOfMachineSgemm).toFixed(0)}% of the machine's sgemm (${fmt(torch.sgemm_gflops)} GFLOP/s, torch.mm 1024³, ${torch.threads} threads, BLAS ${torch.blas}); ${(100 * result.w1[kind].fusedGflops / result.gemm.fusedSgemm).toFixed(0)}% of the kernels' own one-core sgemm`);
  }
  if (torch.blas === 'generic') {
    console.log("note: this PyTorch uses the reference ('generic') BLAS, so its sgemm and timings are far from an OpenBLAS build's; install libopenblas0-pthread for a faithful PyTorch peer");
  }
}

const outDir = join(root, 'bench-results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, 'fused.json');
writeFileSync(`${file}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
renameSync(`${file}.tmp`, file);
console.log(`wrote ${file}`);
