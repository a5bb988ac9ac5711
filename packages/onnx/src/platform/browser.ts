// The browser twin of ./node.ts (swapped in by the package.json "browser" field): models run in onnxruntime-web
// (an optional peer dependency; its .wasm files are found through `ort.env.wasm.wasmPaths`); file paths throw
// NodeOnlyError (code GATED_NEEDS_NODE), so pass the model's bytes instead.
import { NodeOnlyError } from '@gated/tensor';
import type { OrtModule } from './node.js';

export type { OrtModule } from './node.js';

/** A page has no file paths: model bytes are passed in (e.g. from `fetch(url).then((r) => r.arrayBuffer())`). */
export function readFile(_path: string): never {
  throw new NodeOnlyError('node:fs/promises readFile');
}

/** onnxruntime-web, which has the same InferenceSession and Tensor API as onnxruntime-node. */
export async function loadOrt(): Promise<OrtModule> {
  return (await import('onnxruntime-web')) as unknown as OrtModule;
}
