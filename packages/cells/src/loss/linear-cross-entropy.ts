import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertTensor, checkOptions } from '@gated/tensor';
import { KernelCall } from '../fused/wasm-kernels.js';
import { nativeAvailable, nativeKernel } from '../native/index.js';
import type { NativeExports } from '../native/native-addon.js';
import { wasmHeapViews } from '../wasm-heap-view.js';

/** Where {@link linearCrossEntropy} runs: the native addon's fused kernel, tfjs ops, or `auto` (native when it loads). */
export type LinearCrossEntropyKernels = 'auto' | 'native' | 'tfjs';

/** Options of {@link linearCrossEntropy}. */
export interface LinearCrossEntropyOptions {
  /** Per-position weights shaped like `targets` (1 = counted, 0 = padding, whose id is never read); default all 1. */
  readonly weights?: tf.Tensor;
  /** Default `auto`. */
  readonly kernels?: LinearCrossEntropyKernels;
}

/** What {@link linearCrossEntropy} returns. */
export interface LinearCrossEntropyResult {
  /** Mean loss over the counted positions, Σ wₙ·lossₙ / max(Σ wₙ, 1e-12); differentiable in x, weight and bias. */
  readonly loss: tf.Scalar;
  /** `[lossSum, count, correct]` (float32, not differentiated): the weighted loss sum, Σ wₙ, and the weighted count of positions whose largest logit is the target. */
  readonly stats: tf.Tensor1D;
}

const SPEC = { weights: 'object', kernels: ['auto', 'native', 'tfjs'] } as const;

/** The addon's fused kernel (linear-ce.c); absent from a binary built before it. */
interface LinearCeExports extends NativeExports {
  linear_ce_forward?(N: number, K: number, C: number, x: number, w: number, b: number, y: number, rowWeight: number, dz: number, stats: number): void;
  linear_ce_backward?(N: number, K: number, C: number, x: number, w: number, dz: number, g: number, dx: number, dW: number, db: number): void;
}

const nativeLinearCe = (): LinearCeExports | undefined => {
  if (!nativeAvailable()) return undefined;
  const k = nativeKernel() as LinearCeExports;
  return typeof k.linear_ce_forward === 'function' && typeof k.linear_ce_backward === 'function' ? k : undefined;
};

/**
 * A Linear layer followed by softmax cross-entropy against class ids, as one op with a hand-written gradient:
 * `z = x·Wᵀ + b`, loss = mean over counted positions of `logsumexp(z) − z[target]` — what PyTorch computes as
 * `F.cross_entropy(F.linear(x, W, b), y)` (`ignore_index` positions are weight 0). On the native addon the
 * forward is one call (three GEMMs and one pass over the logits; the gradients of x, W and b are formed in the
 * same call and only scaled by the upstream gradient in the backward); elsewhere the same computation runs as tfjs
 * ops. The logits are never materialised as a tensor.
 *
 * x: [..., K] float; weight: [C, K] (PyTorch's `nn.Linear` layout); bias: [C] or null; targets: int32 class ids
 * shaped like x without its last axis, each in [0, C) where counted.
 *
 * @example
 * const { loss, stats } = linearCrossEntropy(features, model.head.weight, model.head.bias, y);
 */
export function linearCrossEntropy(
  x: tf.Tensor,
  weight: tf.Tensor,
  bias: tf.Tensor | null,
  targets: tf.Tensor,
  options: LinearCrossEntropyOptions = {},
): LinearCrossEntropyResult {
  checkOptions('linearCrossEntropy', options, SPEC);
  assertTensor('x', x);
  assertTensor('weight', weight, 2);
  assertTensor('targets', targets);
  const [C = 0, K = 0] = weight.shape;
  if (x.shape.at(-1) !== K) throw new ArgumentError('x', `shape [..., ${K}] (the weight's input width)`, `shape [${x.shape.join(', ')}]`);
  if (bias !== null) {
    assertTensor('bias', bias, 1);
    if (bias.shape[0] !== C) throw new ArgumentError('bias', `shape [${C}]`, `shape [${bias.shape.join(', ')}]`);
  }
  const N = x.size / K;
  const positions = x.shape.slice(0, -1);
  const sameAsPositions = (t: tf.Tensor) => t.rank === positions.length && t.shape.every((d, i) => d === positions[i]);
  if (targets.dtype !== 'int32' || !sameAsPositions(targets)) {
    throw new ArgumentError('targets', `int32 class ids shaped [${positions.join(', ')}]`, `${targets.dtype} shape [${targets.shape.join(', ')}]`);
  }
  const rowWeights = options.weights;
  if (rowWeights !== undefined) {
    assertTensor('weights', rowWeights);
    if (!sameAsPositions(rowWeights)) throw new ArgumentError('weights', `shape [${positions.join(', ')}]`, `shape [${rowWeights.shape.join(', ')}]`);
  }
  const kernels = options.kernels ?? 'auto';
  const native = kernels === 'tfjs' ? undefined : nativeLinearCe();
  if (kernels === 'native' && native === undefined) {
    throw new ArgumentError('kernels', "'auto' or 'tfjs' (the native addon with the fused head kernel is not loaded)", "'native'");
  }
  const ids = targets.dataSync() as Int32Array;
  const w = rowWeights === undefined ? undefined : Float32Array.from(rowWeights.dataSync());
  for (let n = 0; n < N; n++) {
    const id = ids[n] ?? -1;
    if ((w === undefined || w[n] !== 0) && !(id >= 0 && id < C)) throw new ArgumentError(`targets[${n}]`, `a class id in 0..${C - 1}`, String(id));
  }
  const inputs = bias === null ? [x, weight] : [x, weight, bias];
  // x is read as [N, K] inside the op, where nothing is recorded: a reshape on the tape would have tfjs keep a copy
  // of x (a clone of the whole input, on the wasm backend) for a gradient that is never asked for.
  const compute = () => {
    const x2 = tf.reshape(x, [N, K]) as tf.Tensor2D;
    try {
      return native === undefined
        ? withTfjs(x2, weight as tf.Tensor2D, bias as tf.Tensor1D | null, ids, w, C)
        : withNative(native, x2, weight as tf.Tensor2D, bias as tf.Tensor1D | null, ids, w, C);
    } finally {
      x2.dispose();
    }
  };
  return asOp(inputs, compute, [K, C], x.shape);
}

// The mean's denominator, as computeLoss of @gated/trainer and PyTorch's weighted mean use it.
const denominator = (count: number): number => Math.max(count, 1e-12);

/** The sums [lossSum, count, correct] and the gradients of the mean loss (upstream gradient 1), as arrays. */
interface Computed {
  readonly sums: Float32Array;
  readonly dx: Float32Array;
  readonly dW: Float32Array;
  readonly db: Float32Array | undefined;
}

/**
 * Applies the op to its differentiable inputs (x, W and, when present, b). The forward computes the gradients too
 * (as plain arrays, so nothing leaks when no backward runs); the backward only scales them by the upstream gradient.
 */
function asOp(inputs: tf.Tensor[], compute: () => Computed, [K, C]: readonly [number, number], xShape: readonly number[]): LinearCrossEntropyResult {
  // Tensors made inside a custom op's forward (other than its value) are freed with it: the sums leave as an array.
  let sums: Float32Array | undefined;
  const op = tf.customGrad((...args: unknown[]) => {
    void args;
    const r = compute();
    sums = r.sums;
    const scaled = (a: Float32Array, dy: number) => (dy === 1 ? a : a.map((v) => v * dy));
    return {
      value: tf.scalar((r.sums[0] ?? 0) / denominator(r.sums[1] ?? 0), 'float32'),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const upstream = Array.isArray(dy) ? dy[0] : dy;
        const g = upstream === undefined ? 1 : (upstream.dataSync()[0] ?? 1);
        return [
          tf.tensor(scaled(r.dx, g), [...xShape]),
          tf.tensor2d(scaled(r.dW, g), [C, K]),
          ...(r.db === undefined ? [] : [tf.tensor1d(scaled(r.db, g))]),
        ];
      },
    };
  }) as (...t: tf.Tensor[]) => tf.Tensor;
  const loss = op(...inputs) as tf.Scalar;
  if (sums === undefined) throw new ArgumentError('linearCrossEntropy', 'a forward pass', 'none');
  return { loss, stats: tf.tensor1d(sums, 'float32') };
}

/** The native kernel: the forward (three GEMMs' worth in two calls) and the gradients of the mean loss. */
function withNative(k: LinearCeExports, x: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor1D | null, ids: Int32Array, w: Float32Array | undefined, C: number): Computed {
  const [N, K] = x.shape;
  const call = new KernelCall(k);
  // x read in place where the backend allows it (copied into kernel memory at once)
  const px = call.f32(wasmHeapViews([x], [false])?.[0] ?? (x.dataSync() as Float32Array));
  const pw = call.f32(W.dataSync() as Float32Array);
  const pb = b === null ? 0 : call.f32(b.dataSync() as Float32Array);
  const py = call.i32(ids);
  const pr = call.f32(w);
  const pdz = call.alloc(N * C);
  const pstats = call.alloc(3);
  const pdx = call.alloc(N * K);
  const pdW = call.alloc(C * K);
  const pdb = b === null ? 0 : call.alloc(C);
  k.linear_ce_forward?.(N, K, C, px, pw, pb, py, pr, pdz, pstats);
  const sums = call.read(pstats, 3);
  k.linear_ce_backward?.(N, K, C, px, pw, pdz, 1 / denominator(sums[1] ?? 0), pdx, pdW, pdb);
  return { sums, dx: call.read(pdx, N * K), dW: call.read(pdW, C * K), db: b === null ? undefined : call.read(pdb, C) };
}

/** The same computation as tfjs ops (any backend): logits, log-softmax, and softmax − onehot for the gradient. */
function withTfjs(x: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor1D | null, ids: Int32Array, w: Float32Array | undefined, C: number): Computed {
  const [N] = x.shape;
  const out = tf.tidy(() => {
    const z = b === null ? tf.matMul(x, W, false, true) : tf.add(tf.matMul(x, W, false, true), b);
    // Padding positions (weight 0) may hold any id: they are read as class 0 and weighted out.
    const y = tf.tensor1d(ids.map((id, n) => (w !== undefined && w[n] === 0 ? 0 : id)), 'int32');
    const r = w === undefined ? tf.ones([N]) : tf.tensor1d(w);
    const onehot = tf.oneHot(y, C);
    const logp = tf.logSoftmax(z);
    // lossₙ = −log softmax(zₙ)[yₙ], weighted
    const perRow = tf.mul(tf.neg(tf.sum(tf.mul(onehot, logp), 1)), r);
    const correct = tf.sum(tf.mul(tf.cast(tf.equal(tf.argMax(z, 1), y), 'float32'), r));
    const sums = tf.stack([tf.sum(perRow), tf.sum(r), correct]);
    // ∂ mean / ∂z = r·(softmax(z) − onehot) / Σr
    const dz = tf.div(tf.mul(tf.sub(tf.exp(logp), onehot), tf.expandDims(r, 1)), tf.maximum(tf.sum(r), 1e-12));
    return [sums, tf.matMul(dz, W), tf.matMul(dz, x, true, false), ...(b === null ? [] : [tf.sum(dz, 0)])];
  });
  const [sums, dx, dW, db] = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose(out);
  if (sums === undefined || dx === undefined || dW === undefined) throw new ArgumentError('linearCrossEntropy', 'sums and gradients', 'none');
  return { sums, dx, dW, db };
}
