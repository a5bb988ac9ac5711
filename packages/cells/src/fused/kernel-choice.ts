import { ArgumentError } from '@gated/tensor';
import { nativeAvailable, nativeKernel } from '../native/native-addon.js';
import { type KernelExports, kernel as wasmKernel } from './wasm-kernels.js';

/**
 * Which compiled kernels run a fused sequence op: the native Node-API addon (multi-threaded, AVX-512 / AVX2 /
 * SSE2 by CPU dispatch), the wasm SIMD module, or `auto` — native when its binary loads in this process, else wasm.
 */
export type FusedKernels = 'auto' | 'native' | 'wasm';

/** Every {@link FusedKernels} value, for option checks. */
export const FUSED_KERNELS: readonly FusedKernels[] = ['auto', 'native', 'wasm'];

/** The kernel module for a {@link FusedKernels} choice; throws when the forced one cannot run. */
export function resolveKernels(kernels: FusedKernels = 'auto'): { readonly name: 'native' | 'wasm'; readonly exports: KernelExports } {
  if (!FUSED_KERNELS.includes(kernels)) throw new ArgumentError('kernels', "'auto', 'native' or 'wasm'", String(kernels));
  if (kernels === 'native' || (kernels === 'auto' && nativeAvailable())) return { name: 'native', exports: nativeKernel() };
  return { name: 'wasm', exports: wasmKernel() };
}
