// The browser twin of ./node.ts (swapped in by the package.json "browser" field): path helpers work on
// '/'-separated strings; Node-only calls throw NodeOnlyError (code GATED_NEEDS_NODE) naming the API they need.
import { NodeOnlyError } from '@gated/tensor';

function needsNode(operation: string): (...args: unknown[]) => never {
  return () => {
    throw new NodeOnlyError(operation);
  };
}

export const randomBytes = needsNode('node:crypto randomBytes');
export const createReadStream = needsNode('node:fs createReadStream');
export const mkdir = needsNode('node:fs/promises mkdir');
export const open = needsNode('node:fs/promises open');
export const readdir = needsNode('node:fs/promises readdir');
export const readFile = needsNode('node:fs/promises readFile');
export const rename = needsNode('node:fs/promises rename');
export const rm = needsNode('node:fs/promises rm');
export { basename, dirname, extname, join, relative, sep } from 'pathe';

/** A require whose resolve needs Node; creating it is harmless, so modules still load in a page. */
export function createRequire(_url: string): { resolve(id: string): string } {
  return { resolve: needsNode('node:module require.resolve') };
}

/** No process in a browser: 0 keeps temporary names well formed. */
export const pid = (): number => 0;
