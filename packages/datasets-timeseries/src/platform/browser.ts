// The browser twin of ./node.ts (swapped in by the package.json "browser" field): path helpers work on
// '/'-separated strings; Node-only calls throw NodeOnlyError (code GATED_NEEDS_NODE) naming the API they need.
import { NodeOnlyError } from '@gated/tensor';

function needsNode(operation: string): (...args: unknown[]) => never {
  return () => {
    throw new NodeOnlyError(operation);
  };
}

export const createReadStream = needsNode('node:fs createReadStream');
export { basename, dirname, join } from 'pathe';

/** A require whose resolve needs Node; creating it is harmless, so modules still load in a page. */
export function createRequire(_url: string): { resolve(id: string): string } {
  return { resolve: needsNode('node:module require.resolve') };
}
