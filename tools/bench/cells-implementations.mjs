// Does the plain `sequence` implementation still earn its place? The four implementations of one recurrent layer,
// interleaved in one process on the wasm backend (the machine may be shared, so compare the ratios, not the ms).
//   npx nx run @gated/cells:build && node tools/bench/cells-implementations.mjs [--reps N] [--quick]
// Workload: forward + backward (gradients of every weight and of x) of a 1-layer LSTM and GRU, batch 32, 50 steps,
// 32 inputs, hidden 128 — the size of tools/bench/cells.mjs W1. Prints medians and ratios against `sequence`
// (`sequence` time / other: >1 = faster than sequence) and writes bench-results/cells-implementations.json.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { GRU, LSTM, fusedAvailable, nativeAvailable, nativeInfo } = await import('@gated/cells');
const { Rng, initBackend } = await import('@gated/tensor');
const tf = await import('@tensorflow/tfjs-core');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const repsArg = args.indexOf('--reps');
const REPS = repsArg >= 0 ? Number(args[repsArg + 1]) : quick ? 3 : 10;
const WARMUP = quick ? 1 : 2;
const SIZE = { batch: 32, steps: 50, input: 32, hidden: 128 };
const PEER = 'sequence';

const backend = await initBackend({ backend: 'wasm' });
const rng = new Rng(1);
const implementations = ['step', 'sequence', ...(fusedAvailable() ? ['fused'] : []), ...(nativeAvailable() ? ['native'] : [])];

function contender(Layer, implementation) {
  const layer = new Layer({ inputSize: SIZE.input, hiddenSize: SIZE.hidden, seed: 3, implementation });
  const vars = Object.values(layer.parameters());
  return {
    name: implementation,
    run(x) {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.forward(x).output)), vars);
      const dx = tf.grad((input) => tf.sum(layer.forward(input).output))(x);
      value.dataSync();
      dx.dataSync();
      tf.dispose([value, dx, ...Object.values(grads)]);
      if (layer.lastImplementation !== implementation) throw new Error(`asked for ${implementation}, ran ${layer.lastImplementation}`);
    },
    dispose: () => layer.dispose(),
  };
}

function median(a) {
  const s = [...a].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

console.log(
  `@gated/cells implementations on ${backend}, forward+backward, batch ${SIZE.batch}, ${SIZE.steps} steps, ${SIZE.input} inputs, hidden ${SIZE.hidden}; ` +
    `${REPS} interleaved reps, medians; (×N) = ${PEER} time / this${nativeAvailable() ? `; native ${nativeInfo().isa}, ${nativeInfo().threads} thread(s)` : ''}`,
);
const results = [];
for (const [kind, Layer] of [
  ['lstm', LSTM],
  ['gru', GRU],
]) {
  const x = tf.tensor3d(rng.normalArray(SIZE.batch * SIZE.steps * SIZE.input), [SIZE.batch, SIZE.steps, SIZE.input]);
  const contenders = implementations.map((impl) => contender(Layer, impl));
  for (let i = 0; i < WARMUP; i++) for (const c of contenders) c.run(x);
  const samples = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < REPS; r++) {
    // Rotate the order each rep so drift on a shared machine spreads over every contender.
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + r) % contenders.length];
      const t0 = performance.now();
      c.run(x);
      samples[c.name].push(performance.now() - t0);
    }
  }
  const medians = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const ratios = Object.fromEntries(implementations.map((impl) => [impl, medians[PEER] / medians[impl]]));
  console.log(`${kind.padEnd(5)} ${implementations.map((impl) => `${impl} ${medians[impl].toFixed(1)} ms (×${ratios[impl].toFixed(2)})`).join('   ')}`);
  results.push({ kind, medians, ratios, samples });
  for (const c of contenders) c.dispose();
  x.dispose();
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'bench-results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, 'cells-implementations.json');
const json = JSON.stringify({ backend, reps: REPS, date: new Date().toISOString(), size: SIZE, peer: PEER, native: nativeAvailable() ? nativeInfo() : null, results }, null, 2);
writeFileSync(`${file}.tmp`, json);
renameSync(`${file}.tmp`, file);
console.log(`wrote ${file}`);
