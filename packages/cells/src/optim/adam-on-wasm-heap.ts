import * as tf from '@tensorflow/tfjs-core';
import { wasmHeapViews } from '../wasm-heap-view.js';
import type { AdamStepArrays, AdamStepEntry } from './adam-step.js';

/**
 * One Adam step over views of tfjs-backend-wasm's heap: `update` gets each entry's parameter, gradient and moments as
 * Float32Array views (the moments to update in place) and where the new parameter goes, so nothing is copied in or out
 * and no JavaScript array is made — a fresh array per parameter per step would be paged in anew until the garbage
 * collector frees it. The new parameter values go to a fresh tensor that is then assigned, because kernels may cache
 * what they read of a parameter by its data (a tensor's data never changes under tfjs: assign swaps it).
 * `update` returns false when it changed nothing and cannot run (then so does this). Returns false, changing nothing,
 * also when the views cannot be used: another backend, or a moment sharing its data
 * with another tensor (a clone; an in-place write would change both) or with a gradient or parameter (read after
 * being overwritten).
 */
export function adamStepOnWasmHeap(entries: readonly AdamStepEntry[], update: (arrays: AdamStepArrays[]) => boolean): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  const writable = new Set(entries.flatMap((e) => [e.expAvg.dataId, e.expAvgSq.dataId]));
  if (writable.size !== 2 * entries.length || entries.some((e) => writable.has(e.grad.dataId) || writable.has(e.param.dataId))) return false;
  // allocated before the views are taken (an allocation may grow the heap, which detaches views); fill runs in the
  // backend, so no JavaScript array of zeros is made and copied in, as tf.zeros does
  const next = entries.map((e) => tf.fill(e.param.shape, 0));
  const views = wasmHeapViews(
    entries.flatMap((e, i) => [e.param, e.grad, e.expAvg, e.expAvgSq, next[i] as tf.Tensor]),
    entries.flatMap(() => [false, false, true, true, true]),
  );
  if (views === undefined) {
    tf.dispose(next);
    return false;
  }
  const arrays = entries.map((_, i) => {
    const [p, g, m, v, out] = views.slice(5 * i, 5 * i + 5) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    return { p, g, m, v, out };
  });
  if (!update(arrays)) {
    tf.dispose(next);
    return false;
  }
  for (const [i, e] of entries.entries()) e.param.assign(next[i] as tf.Tensor);
  tf.dispose(next);
  return true;
}
