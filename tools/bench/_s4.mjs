import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import * as cells from '@gated/cells';
await initBackend({ backend: 'wasm' });
cells.setNativeThreads(Number(process.env.NT ?? 1));
const phases = (process.argv[2] ?? 'w1,w3t,w3i').split(',');
const u = (shape, seed, s = 0.1) => tf.randomUniform(shape, -s, s, 'float32', seed);
const gates = (k) => (k === 'lstm' ? 4 : 3);
const seq = (k) => (k === 'lstm' ? cells.fusedLstmSequence : cells.fusedGruSequence);
const mk = (k, I, H, v) => { const G = gates(k) * H; return { weightIh: v(u([G, I], 1, 1 / 16)), weightHh: v(u([G, H], 2, 1 / 16)), biasIh: v(u([G], 3)), biasHh: v(u([G], 4)) }; };
const flt = () => process.resourceUsage().minorPageFault;
function train(k, [B, T, I, H], n = 6) {
  const wt = mk(k, I, H, tf.variable); const vars = Object.values(wt); const x = u([B, T, I], 7, 1);
  for (let i = 0; i < n; i++) { const { value, grads } = tf.variableGrads(() => tf.sum(seq(k)(x, wt, { kernels: 'native' }).h), vars); value.dataSync(); tf.dispose([value, ...Object.values(grads)]); }
  tf.dispose([...vars, x]);
}
function infer(k, [B, T, I, H], n, label) {
  const wt = mk(k, I, H, (t) => t); const x = u([B, T, I], 7, 1);
  const ms = []; const f0 = flt(); const c0 = process.cpuUsage();
  const per = []; for (let i = 0; i < n; i++) { const t0 = performance.now(), g0 = flt(); tf.tidy(() => { seq(k)(x, wt, { kernels: "native" }).output.dataSync(); }); ms.push(performance.now() - t0); per.push(`${ms[i].toFixed(1)}/${flt() - g0}`); } if (label) console.log(per.join(' '));
  const c = process.cpuUsage(c0);
  if (label) console.log(`${label} ${k}: median ${ms.sort((a, b) => a - b)[n >> 1].toFixed(1)} ms, faults/call ${((flt() - f0) / n).toFixed(0)}, user/call ${(c.user / 1000 / n).toFixed(1)} sys/call ${(c.system / 1000 / n).toFixed(1)}`);
  tf.dispose([...Object.values(wt), x]);
}
function trainCE(k, [B, T, I, H], n = 9) {
  const wt = mk(k, I, H, tf.variable);
  const head = { weight: tf.variable(u([10, H], 5)), bias: tf.variable(u([10], 6)) };
  const x = u([B, T, I], 7, 1), ids = tf.randomUniformInt([B], 0, 10, 8);
  const vars = [...Object.values(wt), head.weight, head.bias];
  const slots = vars.map((param) => ({ param, expAvg: tf.variable(tf.zerosLike(param)), expAvgSq: tf.variable(tf.zerosLike(param)) }));
  const log = [];
  for (let s = 1; s <= n; s++) {
    const t0 = performance.now(), f0 = flt();
    const { value, grads } = tf.variableGrads(() => cells.linearCrossEntropy(seq(k)(x, wt, { kernels: 'native' }).h, head.weight, head.bias, ids, { kernels: 'native' }).loss, vars);
    cells.nativeAdamStep(slots.map((sl) => ({ ...sl, grad: grads[sl.param.name] })), { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: s });
    value.dataSync(); tf.dispose([value, ...Object.values(grads)]);
    log.push(`${(performance.now() - t0).toFixed(1)}/${flt() - f0}`);
  }
  console.log(k, B, 'train ms/faults:', log.join(' '));
  tf.dispose([...vars, ...slots.flatMap((sl) => [sl.expAvg, sl.expAvgSq]), x, ids]);
}
function stream(k) {
  const Layer = k === 'lstm' ? cells.LSTM : cells.GRU;
  const layer = new Layer({ inputSize: 32, hiddenSize: 256, seed: 1 });
  const st = layer.stream({ kernels: 'native' });
  const frames = Array.from({ length: 200 }, (_, t) => Float32Array.from({ length: 32 }, (_, i) => Math.sin(t + i)));
  for (let r = 0; r < 5; r++) { st.reset(); for (const f of frames) st.push(f); }
  layer.dispose();
}
const W1 = [32, 50, 32, 128], W3 = [64, 100, 64, 256];
for (const p of phases) {
  const [k, what] = p.split(':');
  if (what === 'w1') train(k, W1);
  if (what === 'w3t') train(k, W3);
  if (what === 'w1ce') trainCE(k, W1);
  if (what === 'w3ce') trainCE(k, W3);
  if (what === 'w2') infer(k, [1, 200, 32, 256], 21);
  if (what === 'st') stream(k);
  if (what === 'w3i') infer(k, W3, 30, "W3 inf");
}
