// Inference latency of an exported SequenceModel: @gated/cells' tfjs forward (wasm backend) against the same model
// exported with @gated/onnx and run in onnxruntime-node and onnxruntime-web (wasm), interleaved in one process.
//   npx nx run @gated/onnx:build && node tools/bench/onnx.mjs [--reps N] [--quick]
// W1 size: batch 32, 50 steps, 32 inputs, hidden 128, dense head (10 classes), pooling last.
// W2 size: batch 1, 200 steps, 32 inputs, hidden 256.
// Prints medians and ratios (tfjs time / onnxruntime time) and writes bench-results/onnx.json.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SequenceModel } from '@gated/cells';
import { exportOnnx, OnnxInference } from '@gated/onnx';
import { initBackend, Rng } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import * as ortWeb from 'onnxruntime-web';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const repsArg = args.indexOf('--reps');
const REPS = repsArg >= 0 ? Number(args[repsArg + 1]) : quick ? 3 : 10;
const WARMUP = quick ? 1 : 2;

const backend = await initBackend({ backend: 'wasm' });
ortWeb.env.wasm.numThreads = 1;
const rng = new Rng(1);
const WORKLOADS = {
  W1: { batch: 32, steps: 50, input: 32, hidden: 128, classes: 10 },
  W2: { batch: 1, steps: 200, input: 32, hidden: 256, classes: 10 },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function timeIt(fn) {
  for (let i = 0; i < WARMUP; i++) await fn();
  const ms = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const results = [];
for (const [wname, w] of Object.entries(WORKLOADS)) {
  for (const kind of ['lstm', 'gru']) {
    const model = new SequenceModel({ kind, inputSize: w.input, hiddenSize: w.hidden, outputSize: w.classes, pooling: 'last', seed: 3 });
    const bytes = exportOnnx(model);
    const xData = rng.normalArray(w.batch * w.steps * w.input);
    const x = tf.tensor3d(xData, [w.batch, w.steps, w.input]);
    const node = await OnnxInference.create(bytes, { intraOpNumThreads: 1 });
    const web = await ortWeb.InferenceSession.create(bytes);
    const webFeeds = { input: new ortWeb.Tensor('float32', xData, [w.batch, w.steps, w.input]) };
    const tfjsMs = await timeIt(() => {
      const { output, state } = model.forward(x);
      output.dataSync();
      tf.dispose([output, state.hidden, ...(state.cell ? [state.cell] : [])]);
    });
    const nodeMs = (await node.time(x, {}, { warmup: WARMUP, repeats: REPS })).medianMs;
    const webMs = await timeIt(() => web.run(webFeeds));
    const row = {
      workload: wname,
      kind,
      ...w,
      tfjsMs: +tfjsMs.toFixed(3),
      ortNodeMs: +nodeMs.toFixed(3),
      ortWebMs: +webMs.toFixed(3),
      tfjsOverOrtNode: +(tfjsMs / nodeMs).toFixed(2),
      tfjsOverOrtWeb: +(tfjsMs / webMs).toFixed(2),
    };
    results.push(row);
    console.log(
      `${wname} ${kind.toUpperCase()}: tfjs(${backend}) ${row.tfjsMs} ms, onnxruntime-node ${row.ortNodeMs} ms (×${row.tfjsOverOrtNode}), ` +
        `onnxruntime-web ${row.ortWebMs} ms (×${row.tfjsOverOrtWeb})`,
    );
    await node.release();
    await web.release();
    x.dispose();
    model.dispose();
  }
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'bench-results', 'onnx.json');
mkdirSync(dirname(out), { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
writeFileSync(tmp, `${JSON.stringify({ backend, reps: REPS, threads: 1, results }, null, 2)}\n`);
renameSync(tmp, out);
console.log(`wrote ${out}`);
