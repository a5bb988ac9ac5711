import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's backend read here (its tensor table and heap). */
interface WasmBackendLike {
  readonly dataIdMap?: { get(dataId: object): { readonly memoryOffset: number; readonly refCount: number; readonly dtype: string } | undefined };
  readonly wasm?: { readonly HEAPU8: Uint8Array };
}

/** One parameter of {@link adamInPlace}: float32 views of the parameter, its gradient and its two moments. */
export interface InPlaceEntry {
  readonly p: Float32Array;
  readonly g: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
}

/** The float32 scalars of one Adam step (as PyTorch casts its Python scalars), in the native kernel's order. */
export interface AdamScalars {
  readonly gradScale: number;
  readonly decay: number;
  readonly l2: number;
  readonly beta1: number;
  readonly oneMinusBeta1: number;
  readonly beta2: number;
  readonly oneMinusBeta2: number;
  readonly negStepSize: number;
  readonly bc2Sqrt: number;
  readonly epsilon: number;
}

/**
 * Float32Array views of the tensors' floats in tfjs-backend-wasm's heap, to be updated in place — or undefined when
 * that is not safe: another backend, a non-float32 tensor, or (for the `writable` ones) data shared with another
 * tensor (a clone, a reshape), which an in-place write would change too. The views are valid until the next tfjs
 * allocation (a growing heap detaches them): use them at once.
 */
export function wasmHeapViews(tensors: readonly tf.Tensor[], writable: readonly boolean[]): Float32Array[] | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as unknown as WasmBackendLike;
  const heap = backend.wasm?.HEAPU8;
  if (backend.dataIdMap === undefined || heap === undefined) return undefined;
  const views: Float32Array[] = [];
  for (const [i, t] of tensors.entries()) {
    const data = backend.dataIdMap.get(t.dataId);
    if (data === undefined || data.dtype !== 'float32' || t.dtype !== 'float32') return undefined;
    if (writable[i] === true && data.refCount !== 1) return undefined;
    views.push(new Float32Array(heap.buffer, heap.byteOffset + data.memoryOffset, t.size));
  }
  return views;
}

/**
 * One step of torch.optim.Adam / AdamW (PyTorch 1.13) over each entry, in place, in the order of float32 operations
 * of @gated/cells' native `adam_step` (each operation rounded to float32, so the result is IEEE float32 arithmetic):
 * p ← p·decay; g ← g·gradScale + l2·p; m ← m·β₁ + (1−β₁)·g; v ← v·β₂ + ((1−β₂)·g)·g;
 * p ← p + (−stepSize·m) / (√v / √(1−β₂ᵗ) + ε). Run on views of the tensors' own memory it updates a parameter
 * without copying it, its gradient or its moments anywhere, which on a large parameter (an embedding) is most of a
 * native call's cost.
 */
export function adamInPlace(entries: readonly InPlaceEntry[], s: AdamScalars): void {
  const f = Math.fround;
  const { gradScale, decay, l2, beta1, oneMinusBeta1, beta2, oneMinusBeta2, negStepSize, bc2Sqrt, epsilon } = s;
  for (const { p, g, m, v } of entries) {
    const n = p.length;
    for (let i = 0; i < n; i++) {
      const p0 = p[i] as number;
      const pi = decay === 1 ? p0 : f(p0 * decay);
      let gi = gradScale === 1 ? (g[i] as number) : f((g[i] as number) * gradScale);
      if (l2 !== 0) gi = f(gi + f(l2 * pi));
      const mi = f(f((m[i] as number) * beta1) + f(oneMinusBeta1 * gi));
      const vi = f(f((v[i] as number) * beta2) + f(f(oneMinusBeta2 * gi) * gi));
      m[i] = mi;
      v[i] = vi;
      const denom = f(f(f(Math.sqrt(vi)) / bc2Sqrt) + epsilon);
      p[i] = f(pi + f(f(negStepSize * mi) / denom));
    }
  }
}
