// Benchmark of @gated/seq2seq: target tokens per second for teacher-forced training (loss + gradients + Adam) and
// for decoding (greedy, beam 5, and greedy over onnxruntime with the exported encoder + decoder step), for LSTM
// and GRU encoder–decoders with general attention and without attention, on the wasm backend, one process.
//   npx nx run @gated/seq2seq:build && node tools/bench/seq2seq.mjs [--quick]
// Workload: G2P-shaped random data: 64 sources of 4–12 ids (vocab 28), targets of 3–10 ids (vocab 42), hidden 64,
// embedding 32, bidirectional encoder, batch 32. Prints tokens/s and ratios against the LSTM with attention
// measured in the same run (and onnxruntime / tfjs greedy), writes bench-results/seq2seq.json.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { Seq2Seq, beamSearch, greedyDecode, exportSeq2SeqOnnx } = await import('@gated/seq2seq');
const { OnnxEncoderDecoder } = await import('@gated/onnx');
const { Rng, initBackend } = await import('@gated/tensor');
const tf = await import('@tensorflow/tfjs-core');

const quick = process.argv.includes('--quick');
const W = { examples: 64, hidden: 64, embedding: 32, batch: 32, trainSteps: quick ? 3 : 10, maxLength: 14 };
const backend = await initBackend({ backend: 'wasm' });
const rng = new Rng(1);
const rows = (n, lo, hi, min, vocab) => Array.from({ length: n }, () => Array.from({ length: lo + rng.int(hi - lo + 1) }, () => min + rng.int(vocab - min)));
const sources = rows(W.examples, 4, 12, 1, 28);
const targets = rows(W.examples, 3, 10, 3, 42);
const tokensOf = (ts) => ts.reduce((n, t) => n + t.length + 1, 0);

const configs = {
  'lstm-attention': { kind: 'lstm', attention: 'general' },
  'gru-attention': { kind: 'gru', attention: 'general' },
  'lstm-plain': { kind: 'lstm', attention: 'none' },
  'gru-plain': { kind: 'gru', attention: 'none' },
};
const result = {};
for (const [name, c] of Object.entries(configs)) {
  const model = new Seq2Seq({ ...c, sourceVocabSize: 28, targetVocabSize: 42, hiddenSize: W.hidden, embeddingDim: W.embedding, seed: 2 });
  const opt = tf.train.adam(1e-3);
  const vars = Object.values(model.parameters());
  const step = (i) => {
    const lo = (i * W.batch) % W.examples;
    const batch = { source: sources.slice(lo, lo + W.batch), target: targets.slice(lo, lo + W.batch) };
    opt.minimize(() => model.loss(batch), false, vars);
    return tokensOf(batch.target);
  };
  step(0); // warm-up
  let tokens = 0;
  let t0 = performance.now();
  for (let i = 0; i < W.trainSteps; i++) tokens += step(i);
  const train = tokens / ((performance.now() - t0) / 1000);
  const count = (hyps) => hyps.reduce((n, h) => n + h.tokens.length + (h.finished ? 1 : 0), 0);
  greedyDecode(model, sources.slice(0, 4), { maxLength: W.maxLength });
  t0 = performance.now();
  const greedy = count(greedyDecode(model, sources, { maxLength: W.maxLength })) / ((performance.now() - t0) / 1000);
  const beamSources = sources.slice(0, quick ? 4 : 16);
  t0 = performance.now();
  const beam = count(beamSearch(model, beamSources, { beamWidth: 5, maxLength: W.maxLength }).map((r) => r.best)) / ((performance.now() - t0) / 1000);
  const { encoder, decoderStep } = exportSeq2SeqOnnx(model);
  const ort = await OnnxEncoderDecoder.create(encoder, decoderStep);
  await ort.greedy(sources.slice(0, 4), { maxLength: W.maxLength });
  t0 = performance.now();
  const onnx = count(await ort.greedy(sources, { maxLength: W.maxLength })) / ((performance.now() - t0) / 1000);
  await ort.release();
  result[name] = { train, greedy, beam5: beam, onnxGreedy: onnx };
  model.dispose();
  opt.dispose();
}
const base = result['lstm-attention'];
const ratios = Object.fromEntries(
  Object.entries(result).map(([k, v]) => [k, { trainVsLstmAttention: v.train / base.train, greedyVsLstmAttention: v.greedy / base.greedy, onnxOverTfjsGreedy: v.onnxGreedy / v.greedy }]),
);
console.log(`backend ${backend}; hidden ${W.hidden}, batch ${W.batch}, ${W.trainSteps} training steps; target tokens per second`);
console.log('model            train   greedy   beam5   onnx-greedy   train×   onnx/tfjs');
for (const [k, v] of Object.entries(result)) {
  console.log(
    `${k.padEnd(15)} ${v.train.toFixed(0).padStart(6)} ${v.greedy.toFixed(0).padStart(8)} ${v.beam5.toFixed(0).padStart(7)} ${v.onnxGreedy.toFixed(0).padStart(13)}   ${ratios[k].trainVsLstmAttention.toFixed(2).padStart(5)}   ${ratios[k].onnxOverTfjsGreedy.toFixed(2).padStart(8)}`,
  );
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'bench-results', 'seq2seq.json');
mkdirSync(dirname(out), { recursive: true });
const temp = `${out}.tmp`;
writeFileSync(temp, `${JSON.stringify({ backend, workload: W, tokensPerSecond: result, ratios, date: new Date().toISOString() }, null, 2)}\n`);
renameSync(temp, out);
