import * as tf from '@tensorflow/tfjs-core';
import { FusedUnavailableError } from './errors.js';
import { fusedAvailable } from './kernel.js';

/** Which implementation a layer should run: the fused wasm kernels, the plain tfjs ops, or the faster one. */
export type FusedImplementation = 'auto' | 'fused' | 'tfjs';

/** A decision of {@link chooseFused}, with the reason in words (for logs and the layer's `implementation` field). */
export interface FusedChoice {
  readonly fused: boolean;
  readonly reason: string;
}

/** Backends whose tensors live on a GPU: reading them to the CPU for the kernel costs more than it saves. */
const GPU_BACKENDS = new Set(['webgl', 'webgpu']);

/**
 * Decides whether a recurrent layer runs the fused kernels. Every layer option is supported by the kernels
 * (layers, directions, lengths, dropout, recurrent dropout, GRU both forms, projection, peepholes, RNN tanh/relu),
 * so the choice depends only on the platform: `auto` picks fused on CPU-side backends (wasm, cpu, tensorflow)
 * whenever WebAssembly SIMD is available. `fused` throws {@link FusedUnavailableError} when it is not.
 *
 * @example
 * const { fused, reason } = chooseFused('auto'); // { fused: true, reason: 'fused wasm kernels on backend wasm' }
 */
export function chooseFused(implementation: FusedImplementation = 'auto', backend: string = tf.getBackend()): FusedChoice {
  if (implementation === 'tfjs') return { fused: false, reason: 'plain tfjs ops (forced)' };
  const available = fusedAvailable();
  if (implementation === 'fused') {
    if (!available) throw new FusedUnavailableError('WebAssembly SIMD is not available in this runtime');
    return { fused: true, reason: `fused wasm kernels on backend ${backend} (forced)` };
  }
  if (!available) return { fused: false, reason: 'plain tfjs ops: WebAssembly SIMD is not available' };
  if (GPU_BACKENDS.has(backend)) return { fused: false, reason: `plain tfjs ops: backend ${backend} keeps tensors on the GPU` };
  return { fused: true, reason: `fused wasm kernels on backend ${backend}` };
}
