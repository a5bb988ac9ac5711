import * as ort from 'onnxruntime-web/wasm';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { TensorData } from './protocol.js';

/** What running an exported model in onnxruntime-web gave, next to the model's own tfjs output. */
export interface OnnxAgreement {
  readonly onnxOutput: Float32Array;
  /** max |onnxruntime − tfjs| over every output value. */
  readonly maxAbsDiff: number;
  readonly runMs: number;
}

// The wasm binary is served beside the page (the site works offline); one thread, since a static server
// sends no cross-origin-isolation headers and threads need SharedArrayBuffer.
ort.env.wasm.wasmPaths = { wasm: new URL(ortWasmUrl, location.href).href };
ort.env.wasm.numThreads = 1;

/** Runs `onnx` (input `input`, output `output`) in onnxruntime-web on `x` and compares with `expected`. */
export async function runInOnnxRuntime(onnx: Uint8Array, x: TensorData, expected: TensorData): Promise<OnnxAgreement> {
  const session = await ort.InferenceSession.create(onnx, { executionProviders: ['wasm'] });
  try {
    const started = performance.now();
    const feeds = { input: x.dtype === 'int32' ? new ort.Tensor('int32', x.values, [...x.shape]) : new ort.Tensor('float32', x.values, [...x.shape]) };
    const result = await session.run(feeds);
    const runMs = performance.now() - started;
    const out = result['output'];
    if (out === undefined) throw new Error(`the exported model has no output named "output" (found ${Object.keys(result).join(', ')})`);
    const onnxOutput = out.data as Float32Array;
    if (onnxOutput.length !== expected.values.length) {
      throw new Error(`onnxruntime-web returned ${onnxOutput.length} values, tfjs ${expected.values.length}`);
    }
    let maxAbsDiff = 0;
    for (let i = 0; i < onnxOutput.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs((onnxOutput[i] ?? 0) - (expected.values[i] ?? 0)));
    return { onnxOutput, maxAbsDiff, runMs };
  } finally {
    await session.release();
  }
}
