/** Runs exported bytes in onnxruntime-node or onnxruntime-web (wasm, in Node) and returns plain arrays. */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';

export type Runtime = 'node' | 'web';

export interface Feed {
  readonly type: 'float32' | 'int32';
  readonly data: ArrayLike<number>;
  readonly dims: readonly number[];
}

export interface Fetched {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

ortWeb.env.wasm.numThreads = 1;

/**
 * When GATED_ONNX_DUMP names a folder, every model a test runs is written there too, so
 * tools/onnx-check.py can run the onnx checker over all of them.
 */
export function dumpModel(bytes: Uint8Array): void {
  const dir = process.env['GATED_ONNX_DUMP'];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${createHash('sha1').update(bytes).digest('hex').slice(0, 16)}.onnx`), bytes);
}

export async function runOrt(runtime: Runtime, bytes: Uint8Array, feeds: Record<string, Feed>): Promise<Record<string, Fetched>> {
  dumpModel(bytes);
  const ort = (runtime === 'node' ? ortNode : ortWeb) as typeof ortNode;
  const session = await ort.InferenceSession.create(bytes);
  try {
    const inputs: Record<string, ortNode.Tensor> = {};
    for (const [name, f] of Object.entries(feeds)) {
      const data = f.type === 'float32' ? Float32Array.from(f.data) : Int32Array.from(f.data);
      inputs[name] = new ort.Tensor(f.type, data, [...f.dims]);
    }
    const out = await session.run(inputs);
    const result: Record<string, Fetched> = {};
    for (const [name, t] of Object.entries(out)) result[name] = { dims: [...t.dims], data: t.data as Float32Array };
    return result;
  } finally {
    await session.release();
  }
}
