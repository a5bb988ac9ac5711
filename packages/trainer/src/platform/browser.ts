// The browser twin of ./node.ts (swapped in by the package.json "browser" field): path helpers work on
// '/'-separated strings; Node-only calls throw NodeOnlyError (code GATED_NEEDS_NODE) naming the API they need.
import { NodeOnlyError } from '@gated/tensor';

function needsNode(operation: string): (...args: unknown[]) => never {
  return () => {
    throw new NodeOnlyError(operation);
  };
}

export const appendFileSync = needsNode('node:fs appendFileSync');
export const mkdirSync = needsNode('node:fs mkdirSync');
export const access = needsNode('node:fs/promises access');
export { dirname, join } from 'pathe';

/** A page or worker has no standard error: progress lines go to the console. */
export const defaultProgressStream = (): { write(text: string): unknown; readonly isTTY?: boolean } => ({
  write: (text: string) => console.log(text.trimEnd()),
  isTTY: false,
});

/** No environment variables in a browser. */
export const processEnv = (): Readonly<Record<string, string | undefined>> => ({});
