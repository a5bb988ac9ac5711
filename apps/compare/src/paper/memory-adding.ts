import * as tf from '@tensorflow/tfjs-core';
import { generateBaiAddingProblem } from '../tasks/adding-problem-bai.js';
import { preparedGeneratedTask } from './generated-task.js';
import type { PaperBudget, PaperTaskDefinition, PreparedPaperTask } from './paper-task.js';

/** The adding problem of Bai et al. (2018) at length `seqLen`, with fixed validation and test sets. */
export async function prepareMemoryAdding(budget: PaperBudget): Promise<PreparedPaperTask> {
  const seqLen = budget.length ?? 600;
  return preparedGeneratedTask({
    name: 'memory-adding',
    model: { input: { kind: 'features', inputSize: 2 }, outputSize: 1, pooling: 'last' },
    seqLen,
    batchSize: budget.batchSize,
    sizes: { valid: budget.validSize ?? 1000, test: budget.testSize ?? 1000 },
    seeds: { valid: 2_000_003, test: 3_000_017 },
    batch(n, seed) {
      const { x, y } = generateBaiAddingProblem({ n, seqLen, seed });
      return { x: tf.tensor3d(x, [n, seqLen, 2]), y: tf.tensor2d(y, [n, 1]) };
    },
    loss(output, batch) {
      return tf.tidy(() => tf.mean(tf.squaredDifference(tf.reshape(output, [-1]), tf.reshape(batch.y, [-1]))) as tf.Scalar);
    },
    // Squared errors of the chunk's sequences; the metric is their mean (MSE).
    metricSum: (output, y) => tf.sum(tf.squaredDifference(tf.reshape(output, [-1]), tf.reshape(y, [-1]))) as tf.Scalar,
    perSequence: 1,
  });
}

/**
 * The adding problem at T = 600 as in Bai, Kolter & Koltun (2018, "An Empirical Evaluation of Generic
 * Convolutional and Recurrent Networks for Sequence Modeling", Table 1): about 70k parameters, test MSE LSTM
 * 0.164, GRU 5.3e-5. The length is `budget.length`.
 */
export const memoryAddingPaper: PaperTaskDefinition = {
  id: 'memory-adding',
  title: 'Adding problem, T = 600',
  source: 'Bai, Kolter & Koltun 2018, Table 1 (test MSE)',
  data: 'generated as Bai et al.: values U[0,1], two distinct marked positions anywhere, target = their sum; fresh training batches, fixed validation and 1,000 test sequences',
  metric: { name: 'mse', higherIsBetter: false },
  paperParams: 70_000,
  models: { lstm: { hiddenSize: 130, published: 0.164 }, gru: { hiddenSize: 150, published: 5.3e-5 } },
  requires: '@gated/tensor',
  budgets: {
    quick: { batchSize: 8, learningRates: [0.002], searchSteps: 3, maxSteps: 3, evalEvery: 3, patience: 1, clipNorm: 1, length: 20, validSize: 16, testSize: 16 },
    full: { batchSize: 32, learningRates: [0.001, 0.005], searchSteps: 10, maxSteps: 10, evalEvery: 5, patience: 2, clipNorm: 1, length: 600, validSize: 100, testSize: 500 },
  },
  prepare: prepareMemoryAdding,
};
