// Benchmark of @gated/cells against tf.layers (tfjs-layers) on the wasm backend, interleaved in one process.
//   npx nx run @gated/cells:build && node tools/bench/cells.mjs [--reps N] [--quick]
// W1: training step — batch 32, 50 steps, 32 inputs, hidden 128, dense head (10 classes), softmax CE, Adam.
// W2: inference latency — batch 1, 200 steps, 32 inputs, hidden 256, dense head.
// Contenders: our SequenceModel with the fused wasm kernel and with the TypeScript whole-sequence kernel, and
// tf.layers. Prints per-workload medians and ratios (tf.layers time / ours), writes bench-results/cells.json.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

await import('./lib/tfjs-layers-in-node.mjs');
const { SequenceModel } = await import('@gated/cells');
const { Rng, initBackend } = await import('@gated/tensor');
const tf = await import('@tensorflow/tfjs-core');
const tfl = await import('@tensorflow/tfjs-layers');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const repsArg = args.indexOf('--reps');
const REPS = repsArg >= 0 ? Number(args[repsArg + 1]) : quick ? 3 : 10;
const WARMUP = quick ? 1 : 2;

const backend = await initBackend({ backend: 'wasm' });
const rng = new Rng(1);

const W1 = { batch: 32, steps: 50, input: 32, hidden: 128, classes: 10 };
const W2 = { batch: 1, steps: 200, input: 32, hidden: 256, classes: 10 };

function data(w) {
  const x = tf.tensor3d(rng.normalArray(w.batch * w.steps * w.input), [w.batch, w.steps, w.input]);
  const labels = Array.from({ length: w.batch }, () => rng.int(w.classes));
  const y = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), w.classes), 'float32');
  return { x, y };
}

function ours(kind, w, implementation, extra = {}) {
  const model = new SequenceModel({ kind, inputSize: w.input, hiddenSize: w.hidden, outputSize: w.classes, pooling: 'last', seed: 3, implementation, ...extra });
  const opt = tf.train.adam(1e-3);
  const vars = Object.values(model.parameters());
  return {
    name: `gated:${implementation}${extra.resetAfter === false ? ':resetBefore' : ''}`,
    train(x, y) {
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.forward(x, { training: true }).output), true, vars);
      loss.dataSync();
      loss.dispose();
    },
    infer(x) {
      const { output, state } = model.forward(x);
      output.dataSync();
      tf.dispose([output, state.hidden, ...(state.cell ? [state.cell] : [])]);
    },
    dispose() {
      model.dispose();
      opt.dispose();
    },
  };
}

function layers(kind, w) {
  const rnn = kind === 'lstm' ? tfl.layers.lstm({ units: w.hidden, inputShape: [w.steps, w.input] }) : tfl.layers.gru({ units: w.hidden, inputShape: [w.steps, w.input] });
  const model = tfl.sequential({ layers: [rnn, tfl.layers.dense({ units: w.classes })] });
  const opt = tf.train.adam(1e-3);
  const vars = model.trainableWeights.map((v) => v.read());
  return {
    name: 'tf.layers',
    train(x, y) {
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true })), true, vars);
      loss.dataSync();
      loss.dispose();
    },
    infer(x) {
      const out = model.predict(x);
      out.dataSync();
      out.dispose();
    },
    dispose() {
      model.dispose?.();
      opt.dispose();
    },
  };
}

function median(a) {
  const s = [...a].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function timeIt(fn) {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Runs the contenders round-robin (rotating the order each rep) and returns medians in ms. */
function interleave(label, contenders, run) {
  for (let i = 0; i < WARMUP; i++) for (const c of contenders) run(c);
  const times = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < REPS; r++) {
    const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]);
    for (const c of order) times[c.name].push(timeIt(() => run(c)));
  }
  const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const peer = medians['tf.layers'];
  const parts = contenders.map((c) => `${c.name} ${medians[c.name].toFixed(1)} ms${c.name === 'tf.layers' ? '' : ` (×${(peer / medians[c.name]).toFixed(2)})`}`);
  console.log(`${label.padEnd(22)} ${parts.join('   ')}`);
  const ratios = Object.fromEntries(contenders.filter((c) => c.name !== 'tf.layers').map((c) => [c.name, peer / medians[c.name]]));
  return { label, medians, ratios, samples: times };
}

console.log(`@gated/cells vs tf.layers on ${backend}, ${REPS} interleaved reps, medians; (×N) = tf.layers time / ours, ${new Date().toISOString()}`);
const IMPLEMENTATIONS = ['fused', 'sequence'];
const results = [];
for (const kind of ['lstm', 'gru']) {
  for (const [name, w, run] of [
    ['W1', W1, (c, x, y) => c.train(x, y)],
    ['W2', W2, (c, x) => c.infer(x)],
  ]) {
    const { x, y } = data(w);
    // tf.layers' GRU only has the reset-before form, so ours runs in that form too (as a third contender).
    const extra = kind === 'gru' ? [ours(kind, w, 'fused', { resetAfter: false })] : [];
    const contenders = [...IMPLEMENTATIONS.map((impl) => ours(kind, w, impl)), ...extra, layers(kind, w)];
    const label = `${name} ${kind} ${name === 'W1' ? 'train step' : 'inference'}`;
    results.push({ workload: name, kind, ...interleave(label, contenders, (c) => run(c, x, y)) });
    for (const c of contenders) c.dispose();
    tf.dispose([x, y]);
  }
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'bench-results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, 'cells.json');
const json = JSON.stringify({ backend, reps: REPS, date: new Date().toISOString(), workloads: { W1, W2 }, results }, null, 2);
writeFileSync(`${file}.tmp`, json);
renameSync(`${file}.tmp`, file);
console.log(`wrote ${file}`);
