// What this package needs from Node, in one place: files on disk and onnxruntime-node. Bundlers for the browser
// swap this file for ./browser.ts (package.json "browser" field), which runs models in onnxruntime-web instead.
import type * as Ort from 'onnxruntime-node';

export { readFile } from 'node:fs/promises';

/** The onnxruntime module a session is created with: onnxruntime-node here, onnxruntime-web in a browser. */
export type OrtModule = typeof Ort;

/** Loads onnxruntime on first use, so exporting never needs onnxruntime's native binary. */
export async function loadOrt(): Promise<OrtModule> {
  return import('onnxruntime-node');
}
