import * as tf from '@tensorflow/tfjs-core';
import { type Batch, Rng } from '@gated/tensor';
import type { TaskModelSpec } from '../tasks/task.js';
import type { EvalSplit, PreparedPaperTask } from './paper-task.js';

const EVAL_CHUNK = 100;

/** What a paper task with generated data (adding problem, copy memory) defines; the rest is common. */
export interface GeneratedPaperTask {
  /** The task's id, which names the stream of training batches (`<name>/train`). */
  readonly name: string;
  readonly model: TaskModelSpec;
  readonly seqLen: number;
  /** Sequences per training batch. */
  readonly batchSize: number;
  /** Sequences of the fixed validation and test sets. */
  readonly sizes: Record<EvalSplit, number>;
  /** Seeds of the fixed validation and test sets. */
  readonly seeds: Record<EvalSplit, number>;
  /** `n` generated sequences as tensors (x [n, seqLen, features], y [n, …]). */
  batch(n: number, seed: number): Batch;
  /** The training loss of a forward pass. */
  loss(output: tf.Tensor, batch: Batch): tf.Scalar;
  /** The metric summed over a chunk of sequences (`output` the model's output, `y` their targets). */
  metricSum(output: tf.Tensor, y: tf.Tensor): tf.Scalar;
  /** What the summed metric is divided by per sequence (1 for a per-sequence score, seqLen for a per-step one). */
  readonly perSequence: number;
}

/**
 * A prepared paper task over generated data: fresh training batches drawn from the seed, and fixed validation
 * and test sets scored in chunks of 100 sequences.
 */
export function preparedGeneratedTask(task: GeneratedPaperTask): PreparedPaperTask {
  const splits = { valid: task.batch(task.sizes.valid, task.seeds.valid), test: task.batch(task.sizes.test, task.seeds.test) };
  return {
    model: task.model,
    seqLen: task.seqLen,
    trainBatches(seed: number): AsyncIterator<Batch> {
      const rng = new Rng(seed).fork(`${task.name}/train`);
      return (async function* () {
        for (;;) yield task.batch(task.batchSize, rng.int(2 ** 31));
      })();
    },
    loss: (output, batch) => task.loss(output, batch),
    async evaluate(predict, split) {
      const { x, y } = splits[split];
      const n = task.sizes[split];
      let sum = 0;
      for (let start = 0; start < n; start += EVAL_CHUNK) {
        const count = Math.min(EVAL_CHUNK, n - start);
        const s = tf.tidy(() => task.metricSum(predict(tf.slice(x, [start, 0, 0], [count, -1, -1])), tf.slice(y, [start, 0], [count, -1])));
        sum += await s.array();
        s.dispose();
      }
      return sum / (n * task.perSequence);
    },
    dispose() {
      tf.dispose([splits.valid.x, splits.valid.y, splits.test.x, splits.test.y]);
    },
  };
}
