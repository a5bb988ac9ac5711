import * as tf from '@tensorflow/tfjs-core';
import { FusedUnavailableError } from './fused/errors.js';
import { fusedAvailable } from './fused/wasm-kernels.js';
import { nativeAvailable, nativeInfo, nativeKernel } from './native/index.js';

/**
 * How a sequence layer runs over time; each one has its folder under `src/`.
 * - `step` (`src/step`): a loop over time with ordinary tfjs ops; autodiff tapes every op. Runs anywhere.
 * - `sequence` (`src/sequence`): each direction as one tf.customGrad op written in TypeScript: one input-projection
 *   matMul for all steps, one recurrent matMul per step, a hand-written backward that forms weight gradients with
 *   one matMul over all steps. Needs nothing but tfjs: `auto` runs it on CPU-side backends where WebAssembly SIMD
 *   is missing.
 * - `fused` (`src/fused`): the same structure with the per-step work in a WebAssembly SIMD kernel; needs
 *   WebAssembly SIMD (throws `FusedUnavailableError` otherwise).
 * - `native` (`src/native`): the same kernel sources compiled natively (a Node-API addon shipped prebuilt for
 *   linux-x64, AVX-512 / AVX2 / SSE2 by CPU dispatch, multi-threaded); throws `NativeUnavailableError` where the
 *   binary does not load (browsers, other platforms).
 * - `auto` (default): on CPU-side backends (wasm, cpu, tensorflow) `native` when its binary loads, else `fused`
 *   when SIMD is available, else `sequence`; `step` on GPU backends (webgl, webgpu), where reading values back
 *   each step costs more.
 * All five agree within 1e-5 and pass the same PyTorch fixtures; `lastImplementation` tells which ran.
 */
export type Implementation = 'auto' | 'native' | 'fused' | 'sequence' | 'step';

/** Every {@link Implementation}, for option checks. */
export const IMPLEMENTATIONS: readonly Implementation[] = ['auto', 'native', 'fused', 'sequence', 'step'];

/** An implementation a forward actually ran. */
export type RunImplementation = Exclude<Implementation, 'auto'>;

/** What {@link chooseImplementation} decided, with the reason in words (for logs and `lastImplementationReason`). */
export interface ImplementationChoice {
  readonly implementation: RunImplementation;
  readonly reason: string;
}

/** Backends whose tensors live on a GPU: reading them to the CPU for the kernels costs more than it saves. */
const GPU_BACKENDS: ReadonlySet<string> = new Set(['webgl', 'webgpu']);

/**
 * The one place that decides which implementation runs. A forced choice is checked: `fused` throws
 * {@link FusedUnavailableError} where WebAssembly SIMD is missing, `native` throws `NativeUnavailableError` where
 * the binary does not load. `auto` follows the order in {@link Implementation}.
 *
 * @example
 * chooseImplementation('auto', 'webgl'); // { implementation: 'step', reason: 'step: backend webgl keeps tensors on the GPU' }
 */
export function chooseImplementation(wanted: Implementation, backend: string = tf.getBackend()): ImplementationChoice {
  if (wanted !== 'auto') {
    if (wanted === 'fused' && !fusedAvailable()) throw new FusedUnavailableError('WebAssembly SIMD is not available in this runtime');
    if (wanted === 'native') nativeKernel();
    return { implementation: wanted, reason: `${wanted} (forced)` };
  }
  if (GPU_BACKENDS.has(backend)) return { implementation: 'step', reason: `step: backend ${backend} keeps tensors on the GPU` };
  if (nativeAvailable()) {
    const { isa, threads } = nativeInfo();
    return { implementation: 'native', reason: `native: kernels ${isa}, ${threads} thread(s), on backend ${backend}` };
  }
  if (!fusedAvailable()) return { implementation: 'sequence', reason: 'sequence: plain tfjs ops: WebAssembly SIMD is not available' };
  return { implementation: 'fused', reason: `fused: fused wasm kernels on backend ${backend}` };
}
