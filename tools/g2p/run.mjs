#!/usr/bin/env node
// Trains one G2P encoder–decoder on CMUdict with the training loop of the text-g2p task and saves its weights
// (.safetensors, with the model config in the metadata) for tools/g2p/inspect.mjs. The LSTM-vs-GRU comparison
// itself runs in the grid: gated compare --tasks text-g2p,text-g2p-plain --models lstm,gru.
// Usage: node tools/g2p/run.mjs --out results/g2p/lstm-attention-seed0.safetensors [--kind lstm|gru]
//        [--attention general|none] [--budget quick|default|paper] [--steps N] [--seed S]
//        [--hidden H] [--layers L] [--batch B] [--lr R] [--warmup W (a cosine schedule with W warm-up steps)]
//        [--eval-every N --val-words K (validation PER of K words every N steps)] [--test-words K (0: all)]
// Needs the packages built (npm run build).
import { dirname } from 'node:path';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Seq2Seq } from '@gated/seq2seq';
import { fromTfTensors, initBackend, writeSafetensorsFile } from '@gated/tensor';
import { G2P_BUDGETS, evaluateG2P, g2pModelOptions, loadG2PData, trainG2P } from '../../apps/compare/dist/tasks/text-g2p.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    kind: { type: 'string', default: 'lstm' },
    attention: { type: 'string', default: 'general' },
    budget: { type: 'string', default: 'default' },
    steps: { type: 'string' },
    seed: { type: 'string', default: '0' },
    hidden: { type: 'string' },
    layers: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    warmup: { type: 'string' },
    'eval-every': { type: 'string' },
    'val-words': { type: 'string', default: '500' },
    'test-words': { type: 'string' },
  },
});
const base = G2P_BUDGETS[values.budget];
if (!base) throw new Error(`--budget: expected quick, default or paper, found ${values.budget}`);
if (!values.out?.endsWith('.safetensors')) throw new Error('--out: expected a .safetensors file');
if (!['lstm', 'gru'].includes(values.kind)) throw new Error(`--kind: expected lstm or gru, found ${values.kind}`);
if (!['general', 'none'].includes(values.attention)) throw new Error(`--attention: expected general or none, found ${values.attention}`);
const count = (flag, fallback) => {
  const raw = values[flag];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!(n >= 0) || !Number.isFinite(n)) throw new Error(`--${flag}: expected a non-negative number, found ${raw}`);
  return n;
};
const hiddenSize = count('hidden', base.hiddenSize);
const budget = {
  ...base,
  steps: count('steps', base.steps),
  hiddenSize,
  // the embeddings are half the hidden size, as in every budget
  embeddingDim: values.hidden === undefined ? base.embeddingDim : hiddenSize / 2,
  numLayers: count('layers', base.numLayers),
  batchSize: count('batch', base.batchSize),
  learningRate: count('lr', base.learningRate),
  maxEvalWords: count('test-words', base.maxEvalWords),
  ...(values.warmup === undefined ? {} : { schedule: { kind: 'cosine', warmupSteps: count('warmup', 0) } }),
};
const seed = Number(values.seed);
const evalEvery = count('eval-every', 0);
const valWords = count('val-words', 500);
await initBackend({ backend: 'wasm' });
const data = await loadG2PData();
const model = new Seq2Seq(g2pModelOptions(values.kind, values.attention === 'general', budget, data.vocabulary, seed));
console.log(`${values.kind} ${values.attention} H ${budget.hiddenSize} × ${budget.numLayers} layer(s), ${budget.steps} steps × ${budget.batchSize}, lr ${budget.learningRate}${budget.schedule ? ` cosine (warm-up ${budget.schedule.warmupSteps})` : ''}, ${model.countParams()} parameters`);
const every = Math.max(1, Math.floor(budget.steps / 20));
const validation = data.validation.slice(0, valWords);
const cpuStart = process.cpuUsage();
const cpuMinutes = () => {
  const { user, system } = process.cpuUsage(cpuStart);
  return ((user + system) / 6e7).toFixed(1);
};
await trainG2P(model, data, budget, seed, (step, loss) => {
  if (step % every === 0) console.log(`step ${step}/${budget.steps} loss ${loss.toFixed(4)} (${cpuMinutes()} CPU-min)`);
  if (evalEvery > 0 && step % evalEvery === 0) {
    const val = evaluateG2P(model, data.vocabulary, validation, 1);
    console.log(`step ${step} validation PER ${(100 * val.per).toFixed(2)}% WER ${(100 * val.wer).toFixed(2)}% (${val.words} words)`);
  }
});
const test = budget.maxEvalWords > 0 ? data.test.slice(0, budget.maxEvalWords) : data.test;
const score = evaluateG2P(model, data.vocabulary, test, budget.beamWidth);
console.log(`PER ${(100 * score.per).toFixed(2)}% WER ${(100 * score.wer).toFixed(2)}% on ${score.words} test words (beam ${budget.beamWidth}); ${cpuMinutes()} CPU-min`);
mkdirSync(dirname(values.out), { recursive: true });
const named = model.stateDict();
await writeSafetensorsFile(values.out, await fromTfTensors(named), { config: JSON.stringify(model.config) });
for (const t of Object.values(named)) t.dispose();
model.dispose();
