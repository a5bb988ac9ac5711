// Benchmark of @gated/seq2seq: target tokens per second for teacher-forced training (loss + gradients + Adam) and
// for decoding (greedy, beam 5, and greedy over onnxruntime with the exported encoder + decoder step), for LSTM
// and GRU encoder–decoders with general attention (with and without input feeding) and without attention, on the
// wasm backend, one process. Each model runs twice with the same weights: the decoder on tfjs ops per step
// (`decoderImplementation: 'step'`, the path before the fused decoder) and on the fused kernels (`'auto'`),
// interleaved round by round so both see the same machine load; the ratio fused / step is what to read.
//   npx nx run @gated/seq2seq:build && node tools/bench/seq2seq.mjs [--quick] [--rounds N] [--threads N] [--models lstm-general-feed,…]
// Workload: G2P-shaped random data: 64 sources of 4–12 ids (vocab 28), targets of 3–10 ids (vocab 42), hidden 64,
// embedding 32, bidirectional encoder, batch 32. Writes bench-results/seq2seq.json.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { Seq2Seq, beamSearch, greedyDecode, exportSeq2SeqOnnx } = await import('@gated/seq2seq');
const { OnnxEncoderDecoder } = await import('@gated/onnx');
const { nativeAvailable, nativeInfo, setNativeThreads } = await import('@gated/cells');
const { Rng, initBackend } = await import('@gated/tensor');
const tf = await import('@tensorflow/tfjs-core');

const quick = process.argv.includes('--quick');
const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : quick ? 1 : 3;
const W = { examples: 64, hidden: 64, embedding: 32, batch: 32, trainSteps: quick ? 2 : 4, beamSources: quick ? 4 : 16, maxLength: 14, rounds };
const backend = await initBackend({ backend: 'wasm' });
// One native kernel thread by default, as every training run of the compare grid uses (--threads N to change).
const threadsArg = process.argv.indexOf('--threads');
if (nativeAvailable()) setNativeThreads(threadsArg > 0 ? Number(process.argv[threadsArg + 1]) : 1);
const kernels = nativeAvailable() ? `native ${nativeInfo().isa}, ${nativeInfo().threads} thread(s)` : 'wasm';
const rng = new Rng(1);
const rows = (n, lo, hi, min, vocab) => Array.from({ length: n }, () => Array.from({ length: lo + rng.int(hi - lo + 1) }, () => min + rng.int(vocab - min)));
const sources = rows(W.examples, 4, 12, 1, 28);
const targets = rows(W.examples, 3, 10, 3, 42);
const tokensOf = (ts) => ts.reduce((n, t) => n + t.length + 1, 0);
const count = (hyps) => hyps.reduce((n, h) => n + h.tokens.length + (h.finished ? 1 : 0), 0);

const configs = {
  'lstm-general-feed': { kind: 'lstm', attention: 'general', inputFeeding: true },
  'gru-general-feed': { kind: 'gru', attention: 'general', inputFeeding: true },
  'lstm-general': { kind: 'lstm', attention: 'general', inputFeeding: false },
  'gru-general': { kind: 'gru', attention: 'general', inputFeeding: false },
  'lstm-plain': { kind: 'lstm', attention: 'none' },
  'gru-plain': { kind: 'gru', attention: 'none' },
};
const PATHS = ['step', 'auto'];
// --models a,b: only these configurations
const modelsArg = process.argv.indexOf('--models');
const only = modelsArg > 0 ? process.argv[modelsArg + 1].split(',') : Object.keys(configs);
for (const name of Object.keys(configs)) if (!only.includes(name)) delete configs[name];

/** Tokens and milliseconds of one contender, summed over rounds, and its tokens/s in each round. */
const tally = () => ({ tokens: 0, ms: 0, perRound: [] });
const timed = (t, fn) => {
  const t0 = performance.now();
  const tokens = fn();
  const ms = performance.now() - t0;
  t.tokens += tokens;
  t.ms += ms;
  t.perRound.push(tokens / (ms / 1000));
};
const rate = (t) => t.tokens / (t.ms / 1000);
const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** The median over rounds of fused / step, each ratio from two runs next to each other in time (robust to load swings). */
const roundRatio = (fused, step) => median(fused.perRound.map((v, i) => v / step.perRound[i]));

const result = {};
for (const [name, c] of Object.entries(configs)) {
  const models = {};
  for (const path of PATHS) {
    const model = new Seq2Seq({ ...c, sourceVocabSize: 28, targetVocabSize: 42, hiddenSize: W.hidden, embeddingDim: W.embedding, seed: 2, decoderImplementation: path });
    const opt = tf.train.adam(1e-3);
    models[path] = { model, opt, vars: Object.values(model.parameters()), train: tally(), greedy: tally(), beam5: tally() };
  }
  const step = (m, i) => {
    const lo = (i * W.batch) % W.examples;
    const batch = { source: sources.slice(lo, lo + W.batch), target: targets.slice(lo, lo + W.batch) };
    m.opt.minimize(() => m.model.loss(batch), false, m.vars);
    return tokensOf(batch.target);
  };
  for (const m of Object.values(models)) {
    step(m, 0); // warm-up
    greedyDecode(m.model, sources.slice(0, 4), { maxLength: W.maxLength });
  }
  for (let r = 0; r < W.rounds; r++) {
    for (const m of Object.values(models)) timed(m.train, () => Array.from({ length: W.trainSteps }, (_, i) => step(m, i)).reduce((a, b) => a + b, 0));
    for (const m of Object.values(models)) timed(m.greedy, () => count(greedyDecode(m.model, sources, { maxLength: W.maxLength })));
    for (const m of Object.values(models)) {
      timed(m.beam5, () => count(beamSearch(m.model, sources.slice(0, W.beamSources), { beamWidth: 5, maxLength: W.maxLength }).map((x) => x.best)));
    }
  }
  const fused = models.auto.model;
  const { encoder, decoderStep } = exportSeq2SeqOnnx(fused);
  const ort = await OnnxEncoderDecoder.create(encoder, decoderStep);
  await ort.greedy(sources.slice(0, 4), { maxLength: W.maxLength });
  const t0 = performance.now();
  const onnx = count(await ort.greedy(sources, { maxLength: W.maxLength })) / ((performance.now() - t0) / 1000);
  await ort.release();
  const of = (path) => ({ train: rate(models[path].train), greedy: rate(models[path].greedy), beam5: rate(models[path].beam5) });
  const [old, now] = [of('step'), of('auto')];
  result[name] = {
    step: old,
    fused: now,
    fusedOverStep: { train: now.train / old.train, greedy: now.greedy / old.greedy, beam5: now.beam5 / old.beam5 },
    fusedOverStepMedianOfRounds: Object.fromEntries(['train', 'greedy', 'beam5'].map((k) => [k, roundRatio(models.auto[k], models.step[k])])),
    onnxGreedy: onnx,
    onnxOverFusedGreedy: onnx / now.greedy,
  };
  for (const m of Object.values(models)) {
    m.model.dispose();
    m.opt.dispose();
  }
}
console.log(`backend ${backend}, decoder kernels ${kernels}; hidden ${W.hidden}, batch ${W.batch}, ${W.rounds} interleaved rounds of ${W.trainSteps} training steps, greedy over ${W.examples} and beam 5 over ${W.beamSources} sources`);
console.log('target tokens/s over all rounds: step path → fused path (×median over rounds of fused / step)');
console.log('model               training                   greedy                     beam 5                     onnx greedy');
const cell = (a, b, r) => `${a.toFixed(0).padStart(6)} → ${b.toFixed(0).padStart(6)} (×${r.toFixed(2)})`.padEnd(27);
for (const [k, v] of Object.entries(result)) {
  const r = v.fusedOverStepMedianOfRounds;
  console.log(`${k.padEnd(19)} ${cell(v.step.train, v.fused.train, r.train)}${cell(v.step.greedy, v.fused.greedy, r.greedy)}${cell(v.step.beam5, v.fused.beam5, r.beam5)}${v.onnxGreedy.toFixed(0).padStart(6)}`);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'bench-results', 'seq2seq.json');
mkdirSync(dirname(out), { recursive: true });
const temp = `${out}.tmp`;
writeFileSync(temp, `${JSON.stringify({ backend, kernels, workload: W, tokensPerSecond: result, date: new Date().toISOString() }, null, 2)}\n`);
renameSync(temp, out);
