// Benchmark of @gated/trainer's fit() against tfjs-layers' model.fit (Keras ergonomics in JS) and against a
// bare training loop (tf.train.adam.minimize on the same @gated/cells model), on the wasm backend, one process.
//   npx nx run @gated/trainer:build && node tools/bench/trainer.mjs [--quick]
// Workload: LSTM classifier, 256 examples × 30 steps × 16 features, hidden 64, 4 classes, batch 32, Adam,
// 3 epochs (24 steps). Prints ms/step medians and ratios (peer / ours), writes bench-results/trainer.json.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

await import('./lib/tfjs-layers-in-node.mjs');
const { SequenceModel } = await import('@gated/cells');
const { Rng, initBackend, tensorDataset } = await import('@gated/tensor');
const { fit } = await import('@gated/trainer');
const tf = await import('@tensorflow/tfjs-core');
const tfl = await import('@tensorflow/tfjs-layers');

const quick = process.argv.includes('--quick');
const REPS = quick ? 2 : 5;
const W = { examples: 256, steps: 30, input: 16, hidden: 64, classes: 4, batch: 32, epochs: 3 };
const stepsPerRun = (W.examples / W.batch) * W.epochs;

const backend = await initBackend({ backend: 'wasm' });
const rng = new Rng(1);
const x = tf.tensor3d(rng.normalArray(W.examples * W.steps * W.input), [W.examples, W.steps, W.input]);
const labels = tf.tensor1d(Array.from({ length: W.examples }, () => rng.int(W.classes)), 'int32');
const oneHot = tf.cast(tf.oneHot(labels, W.classes), 'float32');

const newModel = () => new SequenceModel({ kind: 'lstm', inputSize: W.input, hiddenSize: W.hidden, outputSize: W.classes, pooling: 'last', seed: 3 });

const contenders = {
  async gated() {
    const model = newModel();
    const data = tensorDataset({ x, y: labels }, { batchSize: W.batch, shuffle: true, seed: 1 });
    const t0 = performance.now();
    // biome-ignore lint/suspicious/noFocusedTests: the trainer's fit, not a focused test
    await fit(model, data, { epochs: W.epochs, optimizer: 'adam', learningRate: 1e-3, metrics: ['accuracy'], progress: 'none' });
    const ms = performance.now() - t0;
    model.dispose();
    return ms;
  },
  async bareLoop() {
    const model = newModel();
    const opt = tf.train.adam(1e-3);
    const vars = Object.values(model.parameters());
    const t0 = performance.now();
    for (let e = 0; e < W.epochs; e++) {
      const order = new Rng(e).permutation(W.examples);
      for (let b = 0; b < W.examples; b += W.batch) {
        const idx = tf.tensor1d(order.slice(b, b + W.batch), 'int32');
        const xb = tf.gather(x, idx);
        const yb = tf.gather(oneHot, idx);
        const loss = opt.minimize(() => {
          const { output, state } = model.forward(xb, { training: true });
          tf.dispose(Object.values(state));
          return tf.losses.softmaxCrossEntropy(yb, output);
        }, true, vars);
        loss.dataSync();
        tf.dispose([loss, idx, xb, yb]);
      }
    }
    const ms = performance.now() - t0;
    model.dispose();
    opt.dispose();
    return ms;
  },
  async tfjsLayers() {
    const model = tfl.sequential({
      layers: [tfl.layers.lstm({ units: W.hidden, inputShape: [W.steps, W.input] }), tfl.layers.dense({ units: W.classes, activation: 'softmax' })],
    });
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const t0 = performance.now();
    await model.fit(x, oneHot, { epochs: W.epochs, batchSize: W.batch, shuffle: true, verbose: 0 });
    const ms = performance.now() - t0;
    model.dispose();
    return ms;
  },
};

const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
for (const run of Object.values(contenders)) await run(); // warm-up
for (let r = 0; r < REPS; r++) {
  for (const [name, run] of Object.entries(contenders)) times[name].push((await run()) / stepsPerRun);
}
const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
const result = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
console.log(`backend ${backend}; LSTM ${W.hidden}, batch ${W.batch}×${W.steps}×${W.input}, ${stepsPerRun} steps per run, ${REPS} runs`);
for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(12)} ${v.toFixed(2)} ms/step`);
const ratios = { tfjsLayersOverGated: result.tfjsLayers / result.gated, bareLoopOverGated: result.bareLoop / result.gated };
console.log(`tfjs-layers fit / gated fit: ${ratios.tfjsLayersOverGated.toFixed(2)}×   bare loop / gated fit: ${ratios.bareLoopOverGated.toFixed(2)}×`);

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'bench-results', 'trainer.json');
mkdirSync(dirname(out), { recursive: true });
const temp = `${out}.${process.pid}.tmp`;
writeFileSync(temp, `${JSON.stringify({ backend, workload: W, msPerStep: result, ratios, reps: REPS, date: new Date().toISOString() }, null, 2)}\n`);
renameSync(temp, out);
tf.dispose([x, labels, oneHot]);
