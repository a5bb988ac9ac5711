// The browser twin of ./node.ts (swapped in by the package.json "browser" field): path helpers work on
// '/'-separated strings; Node-only calls throw NodeOnlyError (code GATED_NEEDS_NODE) naming the API they need.
import { NodeOnlyError } from '@gated/tensor';

function needsNode(operation: string): (...args: unknown[]) => never {
  return () => {
    throw new NodeOnlyError(operation);
  };
}

export const createHash = needsNode('node:crypto createHash');
export const mkdir = needsNode('node:fs/promises mkdir');
export const readdir = needsNode('node:fs/promises readdir');
export const readFile = needsNode('node:fs/promises readFile');
export const rename = needsNode('node:fs/promises rename');
export const rm = needsNode('node:fs/promises rm');
export const stat = needsNode('node:fs/promises stat');
export const writeFile = needsNode('node:fs/promises writeFile');
export const brotliDecompress = needsNode('node:zlib brotliDecompress');
export { join, resolve } from 'pathe';

/** Node's promisify for callback-last functions (the wrapped function may itself need Node). */
export function promisify<A extends unknown[], R>(fn: (...args: [...A, (error: unknown, result: R) => void]) => void): (...args: A) => Promise<R> {
  return (...args) => new Promise<R>((resolve, reject) => fn(...args, (error, result) => (error ? reject(error) : resolve(result))));
}

/** No process in a browser: 0 keeps temporary names well formed. */
export const pid = (): number => 0;
