import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '@gated/tensor';
import { FusedUnavailableError } from './errors.js';
import { nativeAvailable, nativeKernel, nativeUnavailableReason } from '../native/native-kernel.js';
import { type KernelExports, fusedAvailable, kernel as wasmKernel } from './kernel.js';

/**
 * Which compiled kernels run a fused sequence op: the native Node-API addon (multi-threaded, AVX-512 / AVX2 /
 * SSE2 by CPU dispatch), the wasm SIMD module, or `auto` — native when its binary loads in this process, else wasm.
 */
export type FusedKernels = 'auto' | 'native' | 'wasm';
const KERNELS: readonly FusedKernels[] = ['auto', 'native', 'wasm'];

/** The kernel module for a {@link FusedKernels} choice; throws when the forced one cannot run. */
export function resolveKernels(kernels: FusedKernels = 'auto'): { readonly name: 'native' | 'wasm'; readonly exports: KernelExports } {
  if (!KERNELS.includes(kernels)) throw new ArgumentError('kernels', "'auto', 'native' or 'wasm'", String(kernels));
  if (kernels === 'native' || (kernels === 'auto' && nativeAvailable())) return { name: 'native', exports: nativeKernel() };
  return { name: 'wasm', exports: wasmKernel() };
}

/** Why the native kernels cannot run here, or undefined when they can. */
export function nativeReason(): string | undefined {
  return nativeUnavailableReason();
}

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
