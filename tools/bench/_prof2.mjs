import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { SequenceModel, setNativeThreads } from '@gated/cells';
import { Adam, computeLoss, globalNorm, clipByGlobalNorm } from '@gated/trainer';
import { loadMobyDickLM, RandomWindowDataset } from '@gated/datasets-text';
await initBackend({ backend: 'wasm' });
setNativeThreads(Number(process.env.GATED_NUM_THREADS ?? 1));
const kind = process.argv[2] ?? 'lstm';
const lm = await loadMobyDickLM({ seqLen: 64, batchSize: 32, sampling: 'random' });
const model = new SequenceModel({ kind, vocabSize: lm.vocabSize, embeddingDim: 32, hiddenSize: 128, outputSize: lm.vocabSize, pooling: 'none', seed: 0 });
const ds = new RandomWindowDataset(lm.ids.train, { batchSize: 32, seqLen: 64, seed: 0, batchesPerEpoch: 100 });
const params = model.parameters();
const vars = Object.values(params);
const { x, y } = ds.batch(0, 0);
const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
function time(label, fn, reps = 15) {
  for (let i = 0; i < 3; i++) fn();
  const ms = [];
  for (let i = 0; i < reps; i++) { const t = performance.now(); fn(); ms.push(performance.now() - t); }
  console.log(label.padEnd(40), med(ms).toFixed(2));
  return med(ms);
}
const grads = (f) => () => { const { value, grads } = tf.variableGrads(f, vars); const d = Object.values(grads); d[0].dataSync(); tf.dispose([value, ...d]); };
time('batch (RandomWindowDataset.batch)', () => { const b = ds.batch(0, 1); tf.dispose([b.x, b.y]); });
time('emb fwd+bwd', grads(() => tf.sum(model.embedding.forward(x))));
time('emb+rnn fwd+bwd', grads(() => tf.sum(model.rnn.forward(model.embedding.forward(x), { training: true }).output)));
time('emb+rnn+head fwd+bwd (sum)', grads(() => tf.sum(model.forward(x, { training: true }).output)));
time('full: + computeLoss CE fwd+bwd', grads(() => { const r = computeLoss('crossEntropy', model.forward(x, { training: true }).output, y); r.stats.dispose(); return r.loss; }));
time('fwd only full', () => tf.tidy(() => { const r = computeLoss('crossEntropy', model.forward(x, { training: true }).output, y); r.loss.dataSync(); }));
const { value, grads: g } = tf.variableGrads(() => { const r = computeLoss('crossEntropy', model.forward(x, { training: true }).output, y); r.stats.dispose(); return r.loss; }, vars);
const named = {}; Object.entries(params).forEach(([k, v]) => { named[k] = g[v.name]; });
time('globalNorm + dataSync', () => { const n = globalNorm(Object.values(named)); n.dataSync(); n.dispose(); });
time('clipByGlobalNorm', () => { const n = globalNorm(Object.values(named)); const c = clipByGlobalNorm(named, 1, n); Object.values(c)[0].dataSync(); tf.dispose([n, ...Object.values(c)]); });
const opt = new Adam({});
time('Adam step', () => { opt.step(params, named, 0.005); params['head.bias'].dataSync(); });
console.log('params', Object.entries(params).map(([k, v]) => `${k}${JSON.stringify(v.shape)}`).join(' '));
