import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertTensor, checkOptions } from '@gated/tensor';
import { KernelCall } from '../fused/wasm-kernels.js';
import { NativeUnavailableError, nativeAvailable, nativeKernel } from '../native/index.js';
import type { NativeExports } from '../native/native-addon.js';
import { wasmHeapViews } from '../wasm-heap-view.js';

/** What {@link nativeAttentionCombine} reads. */
export interface AttentionCombineInputs {
  /** The decoder's top layer for every target step, time-major [T, B, D]. */
  readonly queries: tf.Tensor3D;
  /** The keys as the scores read them, [B, S, D]: W_a·k (Luong's `general`) or the keys themselves (`dot`). */
  readonly projected: tf.Tensor3D;
  /** The encoder outputs [B, S, E]. */
  readonly keys: tf.Tensor3D;
  /** W_c [H, E + D] (PyTorch's `nn.Linear(E + D, H, bias=False)` layout), applied to [context; query]. */
  readonly combine: tf.Tensor2D;
  /** Source length of each row (1..S); positions past it get weight exactly 0. Default: every row is S long. */
  readonly lengths?: readonly number[];
}

const INPUT_SPEC = { queries: 'object', projected: 'object', keys: 'object', combine: 'object', lengths: 'array' } as const;

/** The addon's attention kernel (attention.c); absent from a binary built before it. */
interface AttentionExports extends NativeExports {
  attention_combine_forward?(...args: number[]): void;
  attention_combine_backward?(...args: number[]): void;
}

const attentionKernel = (): AttentionExports | undefined => {
  if (!nativeAvailable()) return undefined;
  const k = nativeKernel() as AttentionExports;
  return typeof k.attention_combine_forward === 'function' && typeof k.attention_combine_backward === 'function' ? k : undefined;
};

/** Whether {@link nativeAttentionCombine} can run: the native addon is loaded and has the attention kernel. */
export function nativeAttentionAvailable(): boolean {
  return attentionKernel() !== undefined;
}

/**
 * Luong et al. (2015) multiplicative attention and the attentional layer for every target step at once, as one
 * native op with a hand-written gradient (in queries, projected, keys and combine):
 * e_ts = q_t·p_s, α_t = softmax over the row's valid positions, c_t = Σ_s α_ts k_s, h̃_t = tanh(W_c [c_t; q_t]).
 * Returns h̃ [T·B, H] with row t·B + b — what a teacher-forced decoder without input feeding hands its output layer.
 * Throws {@link NativeUnavailableError} when the addon (or its attention kernel) is not loaded.
 *
 * @example
 * const features = nativeAttentionCombine({ queries: hTop, projected: memory.projected, keys: memory.keys, combine: Wc, lengths });
 */
export function nativeAttentionCombine(inputs: AttentionCombineInputs): tf.Tensor2D {
  checkOptions('nativeAttentionCombine', inputs, INPUT_SPEC);
  const k = attentionKernel();
  if (k === undefined) throw new NativeUnavailableError(nativeAvailable() ? 'the loaded native addon has no attention kernel' : 'the native addon is not loaded');
  const { queries, projected, keys, combine, lengths } = inputs;
  assertTensor('queries', queries, 3);
  assertTensor('projected', projected, 3);
  assertTensor('keys', keys, 3);
  assertTensor('combine', combine, 2);
  const [T, B, D] = queries.shape;
  const [S, E] = [keys.shape[1], keys.shape[2]];
  const H = combine.shape[0];
  if (keys.shape[0] !== B) throw new ArgumentError('keys', `shape [${B}, S, E] (one row per query row)`, `shape [${keys.shape.join(', ')}]`);
  if (projected.shape[0] !== B || projected.shape[1] !== S || projected.shape[2] !== D) {
    throw new ArgumentError('projected', `shape [${B}, ${S}, ${D}]`, `shape [${projected.shape.join(', ')}]`);
  }
  if (combine.shape[1] !== E + D) throw new ArgumentError('combine', `shape [H, ${E + D}] (context width ${E} + query width ${D})`, `shape [${combine.shape.join(', ')}]`);
  let lengthArray: Int32Array | undefined;
  if (lengths !== undefined) {
    if (lengths.length !== B) throw new ArgumentError('lengths', `${B} lengths (one per row)`, String(lengths.length));
    lengths.forEach((n, b) => {
      if (!Number.isInteger(n) || n < 1 || n > S) throw new ArgumentError(`lengths[${b}]`, `an integer in 1..${S}`, String(n));
    });
    lengthArray = Int32Array.from(lengths);
  }
  const dims = [T, B, S, D, E, H];
  const rows = T * B;
  // One call's forward into fresh kernel memory: pointers to its inputs and to α, u = [c; q] and h̃.
  const forward = (call: KernelCall, tensors: tf.Tensor[]) => {
    const views = wasmHeapViews(tensors, tensors.map(() => false));
    const [pq, pp, pk, pwc] = tensors.map((t, i) => call.f32(views?.[i] ?? (t.dataSync() as Float32Array))) as [number, number, number, number];
    const plen = call.i32(lengthArray);
    const [palpha, pu, pout] = [call.alloc(rows * S), call.alloc(rows * (E + D)), call.alloc(rows * H)];
    k.attention_combine_forward?.(...dims, pq, pp, pk, plen, pwc, palpha, pu, pout);
    return [pq, pp, pk, plen, pwc, palpha, pu, pout] as const;
  };
  const op = tf.customGrad((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const tensors = args as tf.Tensor[];
    save(tensors);
    const call = new KernelCall(k);
    const out = call.read(forward(call, tensors)[7], rows * H);
    return {
      value: tf.tensor2d(out, [rows, H]),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const upstream = (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor;
        // the forward again (cheaper than carrying α and u in JavaScript between the passes), then its gradient
        const back = new KernelCall(k);
        const kept = forward(back, saved);
        const pdout = back.f32(upstream.dataSync() as Float32Array);
        const [pdu, pdq, pdp, pdk, pdwc] = [back.alloc(rows * (E + D)), back.alloc(rows * D), back.alloc(B * S * D), back.alloc(B * S * E), back.alloc(H * (E + D))];
        k.attention_combine_backward?.(...dims, ...kept, pdout, pdu, pdq, pdp, pdk, pdwc);
        return [
          tf.tensor3d(back.read(pdq, rows * D), [T, B, D]),
          tf.tensor3d(back.read(pdp, B * S * D), [B, S, D]),
          tf.tensor3d(back.read(pdk, B * S * E), [B, S, E]),
          tf.tensor2d(back.read(pdwc, H * (E + D)), [H, E + D]),
        ];
      },
    };
  }) as (q: tf.Tensor, p: tf.Tensor, kk: tf.Tensor, wc: tf.Tensor) => tf.Tensor2D;
  return op(queries, projected, keys, combine);
}
