// The browser twin of ./node.ts (swapped in by the package.json "browser" field): path helpers work on
// '/'-separated strings; Node-only calls throw NodeOnlyError (code GATED_NEEDS_NODE) naming the API they need.
import { NodeOnlyError } from '@gated/tensor';

function needsNode(operation: string): (...args: unknown[]) => never {
  return () => {
    throw new NodeOnlyError(operation);
  };
}

export const readFile = needsNode('node:fs/promises readFile');
export { basename } from 'pathe';

/** A page has no file paths: the URL itself stands for the file (a path only in Node). */
export function fileURLToPath(url: string | URL): string {
  return String(url);
}
