import { ArgumentError } from '@gated/tensor';
import { KernelCall } from './wasm-kernels.js';

/**
 * C = A·B on the kernels' blocked SIMD GEMM (single thread), row-major A [m, k] and B [k, n]. Exposed as the
 * yardstick the benchmark reports GFLOP/s against.
 *
 * @example
 * const c = fusedSgemm(a, b, 32, 512, 128); // Float32Array(32 * 512)
 */
export function fusedSgemm(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Float32Array {
  if (a.length !== m * k) throw new ArgumentError('a', `${m * k} values ([${m}, ${k}])`, String(a.length));
  if (b.length !== k * n) throw new ArgumentError('b', `${k * n} values ([${k}, ${n}])`, String(b.length));
  const call = new KernelCall();
  const pa = call.f32(a), pb = call.f32(b), pc = call.alloc(m * n);
  call.k.sgemm(m, n, k, pa, pb, pc);
  return call.read(pc, m * n);
}
