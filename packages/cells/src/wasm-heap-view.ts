import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's backend read here (its tensor table and heap). */
interface WasmBackendLike {
  readonly dataIdMap?: { get(dataId: object): { readonly memoryOffset: number; readonly refCount: number; readonly dtype: string } | undefined };
  readonly wasm?: { readonly HEAPU8: Uint8Array };
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
