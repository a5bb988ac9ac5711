#!/usr/bin/env node
// Where a G2P training step's time goes: trainG2P (the text-g2p tasks' loop, as tools/bench/e2e.mjs times it) under
// V8's sampling CPU profiler, each sample charged to the innermost frame of the model's own code on its stack (the
// layer or op file of @gated/seq2seq, @gated/cells, @gated/trainer), backward ops of tfjs to "backward (tfjs
// gradients)", and the tfjs kernels below each by the wasm backend's kernel function. The recurrent layers' fused
// kernels (native addon or wasm SIMD) and the linear layers' matMul are forward and backward in one row each: their
// gradients run inside their own customGrad.
// Build first (`npx nx run-many -t build`).
//   node tools/bench/e2e-g2p-profile.mjs [--task text-g2p|text-g2p-plain] [--kind lstm|gru] [--steps 200] [--warmup 20]
// Threads: GATED_NUM_THREADS (default 1 here, as e2e.mjs --threads 1). Prints a table; writes nothing.
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { benchOption } from './lib/bench-args.mjs';
import { repoRoot } from './lib/bench-run.mjs';

process.env.GATED_NUM_THREADS ??= '1';
const TASK = benchOption('task', 'text-g2p');
const KIND = benchOption('kind', 'lstm');
const STEPS = Number(benchOption('steps', 200));
const WARMUP = Number(benchOption('warmup', 20));
const appDist = join(repoRoot, 'apps', 'compare', 'dist');

const { TASKS } = await import(join(appDist, 'tasks', 'registry.js'));
const { loadG2PData, g2pModelOptions, trainG2P } = await import(join(appDist, 'tasks', 'text-g2p.js'));
const { g2pShape } = await import(join(appDist, 'tasks', 'text-g2p-seed.js'));
const { Seq2Seq } = await import('@gated/seq2seq');
const { initBackend } = await import('@gated/tensor');
await initBackend({ backend: 'wasm' });
if (!(TASK in { 'text-g2p': 1, 'text-g2p-plain': 1 })) throw new Error(`--task: ${TASK} is not text-g2p or text-g2p-plain`);
const budget = { ...TASKS[TASK].budgets.default, steps: WARMUP + STEPS };
const data = await loadG2PData();
const model = new Seq2Seq(g2pModelOptions(KIND, TASK === 'text-g2p', g2pShape(budget.hiddenSize), data.vocabulary, 0));

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
let stepMs = 0;
let profiled = false;
await trainG2P(model, data, budget, 0, async (step, _loss, ms) => {
  if (profiled) stepMs += ms;
  if (step === WARMUP) {
    await session.post('Profiler.start');
    profiled = true;
  }
});
const { profile } = await session.post('Profiler.stop');
session.disconnect();
model.dispose();

// ---------------------------------------------------------------- samples → categories
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const OURS = [
  [/cells\/dist\/(fused|native)\//, 'recurrent layers: fused kernels (fwd + bwd)'],
  [/cells\/dist\/fast-matmul/, 'linear layers: matMul with its own gradient (fwd + bwd)'],
  [/cells\/dist\/embedding/, 'embeddings (tfjs gather)'],
  [/cells\/dist\/linear/, 'linear layers: bias add, reshapes'],
  [/cells\/dist\//, 'cells: '],
  [/seq2seq\/dist\/(luong-attention|attention-read|attention-mask)/, 'attention fwd (tfjs ops)'],
  [/seq2seq\/dist\/decoder/, 'decoder glue fwd (transpose, concat, tanh)'],
  [/seq2seq\/dist\/encoder/, 'encoder glue fwd (final states)'],
  [/seq2seq\/dist\/(seq2seq|token-batch)/, 'loss fwd (padding, log-softmax, one-hot, mask)'],
  [/trainer\/dist\//, 'optimizer (global norm, Adam)'],
  [/compare\/dist\//, 'training loop (variableGrads, dispose)'],
];
const times = new Map();
const kernelTimes = new Map();
const add = (map, key, dt) => map.set(key, (map.get(key) ?? 0) + dt);
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  let category;
  let kernel;
  let backward = false;
  for (let n = byId.get(id); n; n = byId.get(parent.get(n.id))) {
    const { functionName, url } = n.callFrame;
    // the wasm backend's kernel function (its callees are cwrap'd ccall, Module._X and the backend's data moves)
    if (url.includes('tfjs-backend-wasm') && !kernel && /^[a-z][A-Za-z0-9]*$/.test(functionName) && !['ccall', 'move', 'readSync', 'disposeData', 'write'].includes(functionName)) kernel = functionName;
    if (functionName === 'backpropagateGradients') backward = true;
    const hit = OURS.find(([re]) => re.test(url));
    if (hit) {
      // the file for the rest of cells (what it holds is not known here)
      const named = hit[1] === 'cells: ' ? `cells: ${url.slice(url.lastIndexOf('/') + 1)}` : hit[1];
      category = backward && !named.includes('(fwd + bwd)') ? 'backward (tfjs gradients)' : named;
      break;
    }
  }
  const leaf = byId.get(id)?.callFrame.functionName;
  category ??= leaf === '(garbage collector)' ? 'garbage collector' : leaf === '(idle)' || leaf === '(program)' ? leaf : 'other';
  add(times, category, dt);
  if (kernel && !category.startsWith('recurrent')) add(kernelTimes, `${category.split(' ')[0]}: ${kernel}`, dt);
});
console.log(`${TASK} ${KIND}, H ${budget.hiddenSize}, batch ${budget.batchSize}, ${STEPS} steps profiled after ${WARMUP}: ${(stepMs / STEPS).toFixed(1)} ms a step (GATED_NUM_THREADS=${process.env.GATED_NUM_THREADS})`);
for (const [k, v] of [...times].sort((a, b) => b[1] - a[1])) console.log(`${((100 * v) / total).toFixed(1).padStart(6)} %  ${k}`);
console.log('\ntfjs (wasm backend) kernels by the innermost kernel function, top 15:');
for (const [k, v] of [...kernelTimes].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${((100 * v) / total).toFixed(1).padStart(6)} %  ${k}`);
