import * as tf from '@tensorflow/tfjs-core';
import { type Batch, Rng } from '@gated/tensor';
import { COPY_MEMORY_SYMBOLS, copyMemoryBaseline, generateCopyMemory } from '../tasks/copy-memory.js';
import type { EvalSplit, PaperBudget, PaperTaskDefinition, PreparedPaperTask } from './paper-task.js';

const SEEDS: Record<EvalSplit, number> = { valid: 2_000_029, test: 3_000_047 };
const EVAL_CHUNK = 100;

/** One-hot inputs [n, T + 20, 10] and class targets [n, T + 20] of copy-memory sequences. */
function toBatch(n: number, delay: number, seed: number): Batch {
  const d = generateCopyMemory({ n, delay, seed });
  return tf.tidy(() => ({
    x: tf.cast(tf.oneHot(tf.tensor2d(d.x, [n, d.seqLen], 'int32'), COPY_MEMORY_SYMBOLS), 'float32') as tf.Tensor,
    y: tf.tensor2d(d.y, [n, d.seqLen], 'int32') as tf.Tensor,
  }));
}

function crossEntropySum(logits: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.oneHot(tf.cast(y, 'int32'), COPY_MEMORY_SYMBOLS), tf.logSoftmax(logits)))) as tf.Scalar);
}

/** The copy-memory task of Bai et al. (2018) with delay `length` (their T), fixed validation and test sets. */
export async function prepareMemoryCopy(budget: PaperBudget): Promise<PreparedPaperTask> {
  const delay = budget.length ?? 1000;
  const seqLen = delay + 20;
  const sizes: Record<EvalSplit, number> = { valid: budget.validSize ?? 1000, test: budget.testSize ?? 1000 };
  const splits = { valid: toBatch(sizes.valid, delay, SEEDS.valid), test: toBatch(sizes.test, delay, SEEDS.test) };
  return {
    model: { input: { kind: 'features', inputSize: COPY_MEMORY_SYMBOLS }, outputSize: COPY_MEMORY_SYMBOLS, pooling: 'none' },
    seqLen,
    trainBatches(seed: number): AsyncIterator<Batch> {
      const rng = new Rng(seed).fork('memory-copy/train');
      return (async function* () {
        for (;;) yield toBatch(budget.batchSize, delay, rng.int(2 ** 31));
      })();
    },
    loss(output, batch) {
      // Cross-entropy averaged over every step of every sequence (PyTorch CrossEntropyLoss on [B·(T+20), 10]).
      return tf.tidy(() => tf.div(crossEntropySum(output, batch.y), batch.y.size) as tf.Scalar);
    },
    async evaluate(predict, split) {
      const { x, y } = splits[split];
      const n = sizes[split];
      let sum = 0;
      for (let start = 0; start < n; start += EVAL_CHUNK) {
        const count = Math.min(EVAL_CHUNK, n - start);
        const s = tf.tidy(() => crossEntropySum(predict(tf.slice(x, [start, 0, 0], [count, seqLen, COPY_MEMORY_SYMBOLS])), tf.slice(y, [start, 0], [count, seqLen])));
        sum += (await s.data())[0]!;
        s.dispose();
      }
      return sum / (n * seqLen);
    },
    dispose() {
      tf.dispose([splits.valid.x, splits.valid.y, splits.test.x, splits.test.y]);
    },
  };
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
  models: { lstm: { hiddenSize: 56, published: 0.0204 }, gru: { hiddenSize: 66, published: 0.0197 } },
  requires: '@gated/tensor',
  budgets: {
    quick: { batchSize: 8, learningRates: [0.005], searchSteps: 3, maxSteps: 3, evalEvery: 3, patience: 1, clipNorm: 1, length: 10, validSize: 16, testSize: 16 },
    full: { batchSize: 32, learningRates: [0.002, 0.01], searchSteps: 12, maxSteps: 12, evalEvery: 6, patience: 2, clipNorm: 1, length: 1000, validSize: 100, testSize: 500 },
  },
  prepare: prepareMemoryCopy,
};
