import * as tf from '@tensorflow/tfjs-core';
import { ShapeMismatchError } from './errors.js';

/**
 * Largest N·K·C (rows × features × outputs) that {@link linearRegressionLoss} computes in JavaScript: a forecasting
 * or adding-problem head (32 × 64 × 12) is ~25k multiply-adds, far less than the dozen tfjs ops it replaces cost
 * to dispatch and differentiate; a head this size or larger is left to tfjs's matMul.
 */
export const LINEAR_REGRESSION_MAX_WORK = 2 ** 21;

/**
 * A sequence-level regression head and its loss as one differentiable op: z = x·Wᵀ + b and the mean squared
 * (`mse`) or absolute (`mae`) error against `y`, with the sums `[lossSum, count, correct, absSum, sqSum]` of
 * computeLoss (count = N·C, correct 0) — the same loss and sums as the Linear layer followed by computeLoss on its
 * output, from one pass in JavaScript instead of ~15 tfjs ops and their gradients. Products are summed in float64
 * and rounded to float32 once, so values agree with the tfjs path to float32 rounding (≤ 1e-6 relative).
 * x [N, K], weight [C, K] (PyTorch layout), bias [C] or null, y [N, C] (or [N] when C = 1).
 */
export function linearRegressionLoss(
  loss: 'mse' | 'mae',
  x: tf.Tensor2D,
  weight: tf.Tensor2D,
  bias: tf.Tensor1D | null,
  y: tf.Tensor,
): { loss: tf.Scalar; stats: tf.Tensor1D } {
  const [N = 0, K = 0] = x.shape;
  const [C = 0] = weight.shape;
  if (weight.shape[1] !== K || (bias !== null && bias.shape[0] !== C)) {
    throw new ShapeMismatchError('regression head', `weight [C, ${K}] and bias [C]`, `weight [${weight.shape.join(', ')}], bias [${bias?.shape.join(', ') ?? 'none'}]`);
  }
  if (y.size !== N * C || !(y.rank === 2 || (y.rank === 1 && C === 1))) {
    throw new ShapeMismatchError(`targets y for ${loss}`, `[${N}, ${C}]${C === 1 ? ` or [${N}]` : ''}`, `[${y.shape.join(', ')}]`);
  }
  const target = y.dataSync();
  const count = N * C;
  let sums: Float32Array | undefined;
  const op = tf.customGrad((...args: unknown[]) => {
    const [xs, ws, bs] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D | undefined];
    const xv = xs.dataSync();
    const wv = ws.dataSync();
    const bv = bs?.dataSync();
    const f = Math.fround;
    // z = x·Wᵀ + b, the error and its sums
    const err = new Float64Array(count);
    let absSum = 0;
    let sqSum = 0;
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        let z = 0;
        for (let k = 0; k < K; k++) z += (xv[n * K + k] as number) * (wv[c * K + k] as number);
        const zc = f(f(z) + (bv === undefined ? 0 : (bv[c] as number)));
        const e = f(zc - (target[n * C + c] as number));
        err[n * C + c] = e;
        absSum += Math.abs(e);
        sqSum += e * e;
      }
    }
    const lossSum = loss === 'mse' ? sqSum : absSum;
    sums = Float32Array.of(lossSum, count, 0, absSum, sqSum);
    return {
      value: tf.scalar(f(lossSum) / Math.max(count, 1e-12), 'float32'),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const upstream = Array.isArray(dy) ? dy[0] : dy;
        const g = (upstream?.dataSync()[0] ?? 1) / Math.max(count, 1e-12);
        // ∂loss/∂z: 2·e/count (mse) or sign(e)/count (mae)
        const dz = new Float64Array(count);
        for (let i = 0; i < count; i++) {
          const e = err[i] as number;
          dz[i] = loss === 'mse' ? 2 * e * g : Math.sign(e) * g;
        }
        const dx = new Float32Array(N * K);
        const dW = new Float32Array(C * K);
        const db = new Float32Array(C);
        for (let n = 0; n < N; n++) {
          for (let k = 0; k < K; k++) {
            let s = 0;
            for (let c = 0; c < C; c++) s += (dz[n * C + c] as number) * (wv[c * K + k] as number);
            dx[n * K + k] = s;
          }
        }
        for (let c = 0; c < C; c++) {
          let sb = 0;
          for (let n = 0; n < N; n++) sb += dz[n * C + c] as number;
          db[c] = sb;
          for (let k = 0; k < K; k++) {
            let s = 0;
            for (let n = 0; n < N; n++) s += (dz[n * C + c] as number) * (xv[n * K + k] as number);
            dW[c * K + k] = s;
          }
        }
        return [tf.tensor2d(dx, [N, K]), tf.tensor2d(dW, [C, K]), ...(bs === undefined ? [] : [tf.tensor1d(db)])];
      },
    };
  }) as (...t: tf.Tensor[]) => tf.Tensor;
  const value = op(...(bias === null ? [x, weight] : [x, weight, bias])) as tf.Scalar;
  if (sums === undefined) throw new ShapeMismatchError('linearRegressionLoss', 'a forward pass', 'none');
  return { loss: value, stats: tf.tensor1d(sums, 'float32') };
}
