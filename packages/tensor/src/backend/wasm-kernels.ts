import { type KernelConfig, type TensorInfo, getKernel, registerKernel } from '@tensorflow/tfjs-core';

// The slice of tfjs-backend-wasm's backend object these kernels use.
interface WasmBackend {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array;
}

/**
 * `UnsortedSegmentSum` for tfjs-backend-wasm, which does not ship it. The gradient of `tf.gather` — every
 * `Embedding` lookup — needs it, so without it token-id models cannot train on wasm. out[s] = Σ_{i: ids[i]=s} x[i]
 * (ids outside [0, numSegments) are dropped, as TensorFlow does).
 */
const unsortedSegmentSum: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const numSegments = (attrs as { numSegments: number }).numSegments;
    const b = backend as unknown as WasmBackend;
    const values = b.readSync(x.dataId);
    const ids = b.readSync(segmentIds.dataId);
    const innerShape = x.shape.slice(segmentIds.shape.length);
    const inner = innerShape.reduce((a, d) => a * d, 1);
    const out = b.makeOutput([numSegments, ...innerShape], x.dtype);
    const target = b.typedArrayFromHeap(out);
    target.fill(0);
    for (let i = 0; i < ids.length; i++) {
      const segment = ids[i]!;
      if (segment < 0 || segment >= numSegments) continue;
      const from = i * inner;
      const to = segment * inner;
      for (let j = 0; j < inner; j++) target[to + j]! += values[from + j]!;
    }
    return out;
  },
};

/** Registers the kernels above unless the wasm backend already has them. Idempotent. */
export function registerWasmTrainingKernels(): void {
  if (getKernel('UnsortedSegmentSum', 'wasm') === undefined) registerKernel(unsortedSegmentSum);
}
