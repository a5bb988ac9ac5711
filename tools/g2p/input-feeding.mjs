#!/usr/bin/env node
// Does input feeding pay at the grid's default G2P budget? Trains the text-g2p models (general attention) with and
// without input feeding at that budget (H 64, embeddings 32, 250 steps × 32 pairs, Adam 5e-3, seeds 0–2) with the
// task's training loop, and scores each on the grid's 300 test words (greedy). One JSON line per model and seed.
// Usage: node tools/g2p/input-feeding.mjs [lstm,gru]      (needs the packages and apps/compare built)
import { Seq2Seq } from '@gated/seq2seq';
import { initBackend } from '@gated/tensor';
import { randomSample, sampleRng } from '../../apps/compare/dist/tasks/eval-sample.js';
import { evaluateG2P, g2pModelOptions, loadG2PData, trainG2P } from '../../apps/compare/dist/tasks/text-g2p.js';

await initBackend({ backend: 'wasm' });
const data = await loadG2PData();
// The words of the grid's default-budget score (text-g2p-task.ts: a seeded random sample of the test split).
const words = randomSample(data.test.length, 300, sampleRng('text-g2p/final')).map((i) => data.test[i]);
const budget = { hiddenSize: 64, embeddingDim: 32, numLayers: 1, steps: 250, batchSize: 32, learningRate: 0.005 };
const kinds = (process.argv[2] ?? 'lstm,gru').split(',');
for (const kind of kinds) {
  for (const seed of [0, 1, 2]) {
    for (const inputFeeding of [true, false]) {
      const model = new Seq2Seq(g2pModelOptions(kind, true, { ...budget, inputFeeding }, data.vocabulary, seed));
      const trained = await trainG2P(model, data, budget, seed);
      const score = evaluateG2P(model, data.vocabulary, words, 1);
      console.log(JSON.stringify({ kind, seed, inputFeeding, per: score.per, wer: score.wer, trainTokensPerSecond: trained.tokensPerSecond }));
      model.dispose();
    }
  }
}
