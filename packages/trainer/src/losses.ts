import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertTensor, checkOptions, describeValue } from '@gated/tensor';
import { type BatchLocation, LabelRangeError, ShapeMismatchError } from './errors.js';

/**
 * Losses: `crossEntropy` is softmax cross-entropy on logits (PyTorch `CrossEntropyLoss`) with integer class
 * targets — or probability targets shaped like the output; `mse` and `mae` are PyTorch `MSELoss`/`L1Loss`.
 * All average over valid positions (padding masked out).
 */
export type LossKind = 'crossEntropy' | 'mse' | 'mae';

/**
 * The sums one batch contributes: [lossSum, count, correct, absErrorSum, squaredErrorSum]. Metrics over an
 * epoch are ratios of these sums, so they weigh every valid position equally however batches are cut.
 */
export const STAT_FIELDS = ['lossSum', 'count', 'correct', 'absSum', 'sqSum'] as const;

/** Every {@link LossKind}. */
export const LOSSES: readonly LossKind[] = ['crossEntropy', 'mse', 'mae'];

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * Throws a {@link ShapeMismatchError} unless `output` and target shapes fit `loss`. `crossEntropy`: output
 * [B, C] with y [B] (sequence-to-one) or [B, T, C] with y [B, T] (per step), or y shaped like the output
 * (probabilities). `mse`/`mae`: y shaped like the output, or [B] for an output [B, 1].
 */
export function checkLossShapes(loss: LossKind, output: readonly number[], y: readonly number[], mask?: readonly number[]): void {
  const same = output.length === y.length && output.every((d, i) => d === y[i]);
  if (loss === 'crossEntropy') {
    const sparse = y.length === output.length - 1 && y.every((d, i) => d === output[i]);
    if (!sparse && !same) {
      throw new ShapeMismatchError(
        'targets y for crossEntropy',
        `class ids ${fmt(output.slice(0, -1))} or probabilities ${fmt(output)} for model output ${fmt(output)}`,
        `y ${fmt(y)}`,
      );
    }
    if (output.length < 2 || output.length > 3) throw new ShapeMismatchError('model output for crossEntropy', 'logits [B, C] or [B, T, C]', fmt(output));
  } else if (!same && !(y.length === 1 && output.length === 2 && output[1] === 1 && y[0] === output[0])) {
    throw new ShapeMismatchError(`targets y for ${loss}`, `the model output's shape ${fmt(output)}`, `y ${fmt(y)}`);
  }
  if (mask !== undefined) {
    if (output.length !== 3 || mask.length !== 2 || mask[0] !== output[0] || mask[1] !== output[1]) {
      throw new ShapeMismatchError('mask', `[B, T] = ${fmt(output.slice(0, 2))} for a per-step output ${fmt(output)}`, `mask ${fmt(mask)}`);
    }
  }
}

/**
 * Throws a {@link LabelRangeError} unless every valid class id in `y` is an integer in [0, classes). Padding
 * positions (`weights` 0) are not checked, so any pad value works.
 */
export function checkClassIds(y: tf.Tensor, classes: number, weights?: tf.Tensor, where: BatchLocation = {}): void {
  const ids = y.dataSync();
  const valid = weights?.dataSync();
  const [, steps] = y.shape;
  for (const [i, v] of ids.entries()) {
    if (valid !== undefined && valid[i] === 0) continue;
    if (Number.isInteger(v) && v >= 0 && v < classes) continue;
    const position = y.rank === 2 && steps !== undefined ? [Math.floor(i / steps), (i % steps) + (where.timeOffset ?? 0)] : [i];
    throw new LabelRangeError(v, position, classes, where);
  }
}

/**
 * The mean loss over valid positions (to differentiate) and the batch's sums `[lossSum, count, correct,
 * absSum, sqSum]` as a float32 [5] tensor. `weights` [B, T] marks valid steps of a per-step output (1) and
 * padding (0). Class-id targets of `crossEntropy` are checked against the output's width first
 * ({@link LabelRangeError}); `where` names the batch in that error.
 */
export function computeLoss(
  loss: LossKind,
  output: tf.Tensor,
  y: tf.Tensor,
  weights?: tf.Tensor,
  where: BatchLocation = {},
): { loss: tf.Scalar; stats: tf.Tensor1D } {
  checkOptions('computeLoss where', where, { batch: 'integer', epoch: 'integer', step: 'integer', timeOffset: 'integer' });
  if (!LOSSES.includes(loss)) throw new ArgumentError('loss', `one of ${LOSSES.join(', ')}`, describeValue(loss));
  assertTensor('output', output);
  assertTensor('y', y);
  if (weights !== undefined) assertTensor('weights', weights);
  const classes = output.shape.at(-1);
  if (loss === 'crossEntropy' && classes === undefined) throw new ShapeMismatchError('model output for crossEntropy', 'logits [B, C] or [B, T, C]', fmt(output.shape));
  if (loss === 'crossEntropy' && classes !== undefined && output.rank >= 2 && y.rank === output.rank - 1) checkClassIds(y, classes, weights, where);
  return tf.tidy(() => {
    const positions = loss === 'crossEntropy' ? output.shape.slice(0, -1) : output.shape.slice(0, 2);
    const w = weights === undefined ? undefined : tf.cast(weights, 'float32');
    const count = w === undefined ? tf.scalar(positions.reduce((a, b) => a * b, 1)) : tf.sum(w);
    // Σ over valid positions; weights cover [B] or [B, T] and broadcast over the remaining axes.
    const weightedSum = (t: tf.Tensor) => {
      if (w === undefined) return tf.sum(t);
      return tf.sum(tf.mul(t, tf.reshape(w, [...w.shape, ...t.shape.slice(w.shape.length).map(() => 1)])));
    };
    let lossSum: tf.Tensor;
    let correct: tf.Tensor = tf.scalar(0);
    let absSum: tf.Tensor = tf.scalar(0);
    let sqSum: tf.Tensor = tf.scalar(0);
    let denominator: tf.Tensor = count;
    if (loss === 'crossEntropy' && classes !== undefined) {
      const logp = tf.logSoftmax(output);
      const sparse = y.shape.length === output.shape.length - 1;
      const target = sparse ? tf.oneHot(tf.cast(y, 'int32'), classes) : tf.cast(y, 'float32');
      // −Σ_c y_c · log softmax(z)_c
      const nll = tf.neg(tf.sum(tf.mul(target, logp), -1));
      lossSum = weightedSum(nll);
      const truth = sparse ? tf.cast(y, 'int32') : tf.argMax(y, -1);
      correct = weightedSum(tf.cast(tf.equal(tf.argMax(output, -1), truth), 'float32'));
    } else {
      const target = y.shape.length === output.shape.length ? y : tf.reshape(y, output.shape);
      const err = tf.sub(output, tf.cast(target, 'float32'));
      const perPosition = output.shape.slice(positions.length).reduce((a, b) => a * b, 1);
      absSum = weightedSum(tf.abs(err));
      sqSum = weightedSum(tf.square(err));
      lossSum = loss === 'mse' ? sqSum : absSum;
      denominator = perPosition === 1 ? count : tf.mul(count, tf.scalar(perPosition));
    }
    const mean = tf.div(lossSum, tf.maximum(denominator, tf.scalar(1e-12))) as tf.Scalar;
    return { loss: mean, stats: tf.stack([lossSum, denominator, correct, absSum, sqSum]) as tf.Tensor1D };
  });
}

/** Validity weights [B, T] (1 for t < length) from per-sequence lengths. */
export function lengthMask(lengths: tf.Tensor1D, steps: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.less(tf.expandDims(tf.range(0, steps, 1, 'int32'), 0), tf.expandDims(lengths, 1)), 'float32') as tf.Tensor2D);
}
