// The browser twin of ./node.ts (swapped in by the package.json "browser" field): path helpers work on
// '/'-separated strings; file-system calls throw NodeOnlyError naming the Node API they need.
import { NodeOnlyError } from '../errors.js';

function needsNode(operation: string): (...args: unknown[]) => never {
  return () => {
    throw new NodeOnlyError(operation);
  };
}

export const randomBytes = needsNode('node:crypto randomBytes');
export const mkdir = needsNode('node:fs/promises mkdir');
export const open = needsNode('node:fs/promises open');
export const readFile = needsNode('node:fs/promises readFile');
export const rename = needsNode('node:fs/promises rename');
export const rm = needsNode('node:fs/promises rm');
export { basename, dirname, join } from 'pathe';

/** No process in a browser: 0 keeps temporary names well formed. */
export const pid = (): number => 0;

/** A page cannot read its process's memory: NaN says "not measured" rather than a made-up number. */
export function processMemory(): { rss: number; maxRss: number } {
  return { rss: Number.NaN, maxRss: Number.NaN };
}

/** Bundlers load tfjs-core's gradient registration module, so a failure there is real: pass it on. */
export async function registerGradientsFallback(error: unknown): Promise<void> {
  throw error;
}
