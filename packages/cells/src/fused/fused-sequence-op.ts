import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '@gated/tensor';
import { item } from '../list-item.js';
import { KernelCall, type KernelExports } from './wasm-kernels.js';
import { wasmHeapViews } from '../wasm-heap-view.js';

/** Sizes of one direction of one layer: time, batch, input, hidden; `out` = width of h (projSize or H), `cell` = width of c (0: none). */
export interface SequenceDims {
  readonly T: number;
  readonly B: number;
  readonly I: number;
  readonly H: number;
  readonly out: number;
  readonly cell: number;
}

/** What a kernel's forward returns. */
export interface ForwardResult {
  /** The op's value: [output (caller's layout) | h [B, out] | c [B, cell]]. */
  readonly flat: Float32Array;
  /** What the backward needs beyond the inputs and the value; absent when no gradient is being recorded. */
  readonly saved?: Float32Array;
}

/**
 * The kernel-specific half of a fused sequence op. `data[0]` is x in the caller's layout, the rest are the
 * params in input order; `flat` arrays use the layout of {@link ForwardResult.flat}.
 */
export interface SequenceKernel {
  forward(call: KernelCall, data: readonly Float32Array[], keep: boolean): ForwardResult;
  /** One gradient per input, same order as `data` (x's in the caller's layout). */
  backward(call: KernelCall, data: readonly Float32Array[], value: Float32Array, saved: Float32Array, dy: Float32Array): Float32Array[];
}

/** Output of a fused sequence op. */
export interface FusedSequenceResult {
  /** Every step's h: [B, T, out] (batchFirst) or [T, B, out]; 0 on steps past a row's length. */
  readonly output: tf.Tensor3D;
  /** Final h per row, [B, out] (for the reverse direction: the state after step 0). */
  readonly h: tf.Tensor2D;
  /** Final c per row, [B, H] (LSTM only). */
  readonly c?: tf.Tensor2D;
}

/**
 * Arrays for the kernels' saved activations, reused from one training step to the next: a fresh array of tens of
 * MiB costs page faults on every step, more than the copy into it. An array comes back once its backward has run
 * (one never differentiated is left to the garbage collector); at most {@link POOL_BYTES} are held.
 */
const POOL_BYTES = 512 * 2 ** 20;
const pool = new Map<number, Float32Array[]>();
let pooledBytes = 0;

/** A Float32Array of `length` floats, reused when one is free (contents undefined). */
export function takeSaved(length: number): Float32Array {
  const free = pool.get(length);
  const hit = free?.pop();
  if (hit) {
    pooledBytes -= hit.byteLength;
    return hit;
  }
  return new Float32Array(length);
}

function releaseSaved(a: Float32Array): void {
  if (a.length === 0 || pooledBytes + a.byteLength > POOL_BYTES) return;
  const free = pool.get(a.length) ?? [];
  free.push(a);
  pool.set(a.length, free);
  pooledBytes += a.byteLength;
}

function floats(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

// A tensor's data never changes (Variable.assign swaps in a new dataId), so parameters read once can be reused
// for as long as their data lives: repeated inference skips re-reading the weights from the backend.
const paramCache = new WeakMap<object, Float32Array>();
function paramFloats(t: tf.Tensor): Float32Array {
  const hit = paramCache.get(t.dataId);
  if (hit) return hit;
  const values = floats(t);
  paramCache.set(t.dataId, values);
  return values;
}
/**
 * Training's inputs: views of the backend's heap where it has one — a training step's parameters are new tensors
 * every step (an optimizer assigns fresh data), so copies of them and of x would be fresh arrays on every step, each
 * freed only when the garbage collector runs, and paged in anew until then — else copies.
 */
const readInputs = (tensors: readonly tf.Tensor[]) => tensors.map((t) => heapView(t) ?? floats(t));

/**
 * A float32 tensor's values as a view of tfjs's wasm heap (no copy), or undefined on other backends. Valid only
 * until the backend next allocates: the kernels copy their inputs into kernel memory before any tfjs op runs. A fresh
 * copy of a large input costs page faults on every call, often more than the copy itself.
 */
function heapView(t: tf.Tensor): Float32Array | undefined {
  return wasmHeapViews([t], [false])?.[0];
}
/** Inference's inputs: the parameters as for training, x last and as a view of the backend's heap where it can be. */
function readInferenceInputs(tensors: readonly tf.Tensor[]): Float32Array[] {
  const data = tensors.map((t, i) => (i === 0 ? new Float32Array(0) : paramFloats(t)));
  const x = item(tensors, 0, 'x');
  data[0] = heapView(x) ?? floats(x);
  return data;
}

/**
 * Runs a whole-sequence kernel as one differentiable tfjs op: inputs are read with dataSync, the kernel runs in
 * wasm or natively (`module`), and the backward kernel becomes the op's gradient (tf.customGrad), so it works on every tfjs backend.
 * The op's single value is [output | h | c] flat; the pieces are sliced out here.
 */
export function runFusedSequence(
  inputs: readonly tf.Tensor[],
  dims: SequenceDims,
  batchFirst: boolean,
  kernel: SequenceKernel,
  module: KernelExports,
): FusedSequenceResult {
  const { T, B, out: R, cell: C } = dims;
  const outLen = T * B * R;
  const recording = tf.engine().isTapeOn();
  const outShape: [number, number, number] = batchFirst ? [B, T, R] : [T, B, R];

  if (!recording) {
    // Inference: no custom-gradient op and no slicing, just three tensors over the kernel's result. tfjs's wasm
    // backend copies a new tensor's values into its own heap, so there the result is read as a view of kernel
    // memory (no intermediate copy); other backends may keep the array they are given, so they get a copy.
    const { flat } = kernel.forward(new KernelCall(module, tf.getBackend() === 'wasm'), readInferenceInputs(inputs), false);
    const output = tf.tensor3d(flat.subarray(0, outLen), outShape);
    const h = tf.tensor2d(flat.subarray(outLen, outLen + B * R), [B, R]);
    if (C === 0) return { output, h };
    return { output, h, c: tf.tensor2d(flat.subarray(outLen + B * R, outLen + B * R + B * C), [B, C]) };
  }

  let flatValues: Float32Array | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const tensors = args.slice(0, -1) as tf.Tensor[];
    const save = args[args.length - 1] as tf.GradSaveFunc;
    // The inputs stay on the tape (tfjs keeps a reference to each, not a copy), and the backward reads them again:
    // views of the heap taken now would be detached by then if the heap grew. The value and the kernel's saved
    // activations stay in this closure as plain arrays rather than tensors on the tape: tfjs would read each back.
    save(tensors);
    const res = kernel.forward(new KernelCall(module), readInputs(tensors), true);
    flatValues = res.flat;
    const value = tf.tensor1d(res.flat);
    const copying = tf.getBackend() === 'wasm';
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], inputs: tf.Tensor[]): tf.Tensor[] => {
      const saved = res.saved ?? new Float32Array(0);
      const data = readInputs(inputs);
      // tfjs's wasm backend copies a new tensor's values into its heap: there the gradients are read as views of
      // kernel memory (they become tensors before the next kernel call), and the forward's value array, copied into
      // the op's tensors, is reused. Other backends may keep the arrays they are given: copies, nothing reused.
      const upstream = Array.isArray(dy) ? item(dy, 0, 'dy') : dy;
      // dy read in place where the backend allows it: the backward copies it into kernel memory before any tfjs op runs
      const grads = kernel.backward(new KernelCall(module, copying), data, res.flat, saved, heapView(upstream) ?? floats(upstream));
      releaseSaved(saved);
      const made = grads.map((g, i) => tf.tensor(g, item(tensors, i, 'input').shape));
      if (copying) releaseSaved(res.flat);
      return made;
    };
    return { value, gradFunc };
  });

  return tf.tidy(() => {
    const flat = op(...inputs) as tf.Tensor1D;
    const values = flatValues;
    if (values === undefined) throw new ArgumentError('flat', 'the kernel forward to have run', 'no values');
    const output = piece(flat, values, 0, outShape) as tf.Tensor3D;
    const h = piece(flat, values, outLen, [B, R]) as tf.Tensor2D;
    if (C === 0) return { output, h };
    const c = piece(flat, values, outLen + B * R, [B, C]) as tf.Tensor2D;
    return { output, h, c };
  });
}

/**
 * flat[begin, begin + size) reshaped, with its own gradient (zero-padded dy), so the op needs no gradient from
 * tfjs's registry: tfjs-core registers none by itself, and its register_all_gradients module does not load
 * under Node's ESM resolver. The value is made from `values` (flat's data as the kernel returned it): tfjs's wasm
 * slice would read the whole of flat back for every piece.
 */
function piece(flat: tf.Tensor1D, values: Float32Array, begin: number, shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const total = flat.size;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor1D;
    return {
      value: x.size === values.length ? tf.tensor(values.subarray(begin, begin + size), shape) : tf.reshape(tf.slice(x, begin, size), shape),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const d = tf.reshape(Array.isArray(dy) ? item(dy, 0, 'dy') : dy, [size]);
        return tf.pad(d as tf.Tensor1D, [[begin, total - begin - size]]);
      },
    };
  });
  return op(flat);
}
