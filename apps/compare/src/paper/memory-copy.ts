import * as tf from '@tensorflow/tfjs-core';
import { COPY_MEMORY_SYMBOLS, copyMemoryBaseline, generateCopyMemory } from '../tasks/copy-memory.js';
import { preparedGeneratedTask } from './generated-task.js';
import type { PaperBudget, PaperTaskDefinition, PreparedPaperTask } from './paper-task.js';

function crossEntropySum(logits: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.oneHot(tf.cast(y, 'int32'), COPY_MEMORY_SYMBOLS), tf.logSoftmax(logits)))) as tf.Scalar);
}

/** The copy-memory task of Bai et al. (2018) with delay `length` (their T), fixed validation and test sets. */
export async function prepareMemoryCopy(budget: PaperBudget): Promise<PreparedPaperTask> {
  const delay = budget.length ?? 1000;
  const seqLen = delay + 20;
  return preparedGeneratedTask({
    name: 'memory-copy',
    model: { input: { kind: 'features', inputSize: COPY_MEMORY_SYMBOLS }, outputSize: COPY_MEMORY_SYMBOLS, pooling: 'none' },
    seqLen,
    batchSize: budget.batchSize,
    sizes: { valid: budget.validSize ?? 1000, test: budget.testSize ?? 1000 },
    seeds: { valid: 2_000_029, test: 3_000_047 },
    // One-hot inputs [n, T + 20, 10] and class targets [n, T + 20].
    batch(n, seed) {
      const d = generateCopyMemory({ n, delay, seed });
      return tf.tidy(() => ({
        x: tf.cast(tf.oneHot(tf.tensor2d(d.x, [n, d.seqLen], 'int32'), COPY_MEMORY_SYMBOLS), 'float32') as tf.Tensor,
        y: tf.tensor2d(d.y, [n, d.seqLen], 'int32') as tf.Tensor,
      }));
    },
    loss(output, batch) {
      // Cross-entropy averaged over every step of every sequence (PyTorch CrossEntropyLoss on [B·(T+20), 10]).
      return tf.tidy(() => tf.div(crossEntropySum(output, batch.y), batch.y.size) as tf.Scalar);
    },
    metricSum: crossEntropySum,
    perSequence: seqLen,
  });
}

/**
 * The copy-memory task at T = 1000 as in Bai, Kolter & Koltun (2018, Table 1): about 16k parameters, test
 * cross-entropy LSTM 0.0204, GRU 0.0197. The memoryless strategy scores 10·ln 8 / 1020 = 0.0204. Inputs are the
 * symbols one-hot (10 features). The delay is `budget.length`.
 */
export const memoryCopyPaper: PaperTaskDefinition = {
  id: 'memory-copy',
  title: 'Copy memory, T = 1000',
  source: 'Bai, Kolter & Koltun 2018, Table 1 (test cross-entropy)',
  data: `generated as Bai et al.: 10 digits in 1..8, T−1 blanks, 11 markers; recall the digits after the delimiter; fresh training batches, fixed validation and 1,000 test sequences (memoryless score ${copyMemoryBaseline(1000).toFixed(4)})`,
  metric: { name: 'cross-entropy', higherIsBetter: false },
  paperParams: 16_000,
  // CPU ms per step at batch 32, T + 20 = 1020 steps, and per evaluation of 100 validation / 1,000 test sequences (tools/paper/step-cost.ts).
  models: {
    lstm: { hiddenSize: 56, published: 0.0204, cost: { stepMs: 132, validEvalMs: 122, testEvalMs: 1740 } },
    gru: { hiddenSize: 66, published: 0.0197, cost: { stepMs: 141, validEvalMs: 147, testEvalMs: 1770 } },
  },
  requires: '@gated/tensor',
  budgets: {
    quick: { batchSize: 8, learningRates: [0.005], searchSteps: 3, maxSteps: 3, evalEvery: 3, patience: 1, clipNorm: 1, length: 10, validSize: 16, testSize: 16 },
    // Measured on one seed at lr 0.01: near the memoryless score (blanks, then a uniform guess over the 8 digits)
    // after 300 steps, the GRU's training loss below it by 400; 1,000 steps let both settle (the papers: ~3k+).
    full: { batchSize: 32, learningRates: [0.005, 0.01], searchSteps: 1000, maxSteps: 1000, evalEvery: 50, patience: 6, clipNorm: 1, length: 1000, validSize: 100, testSize: 1000 },
  },
  prepare: prepareMemoryCopy,
};
