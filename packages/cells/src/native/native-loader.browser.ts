// The browser twin of ./native-loader.ts: a page cannot load Node-API addons, so the native kernels report
// themselves unavailable ('not running in Node.js') and `implementation: 'auto'` uses the wasm kernels.
import type { NodeProcess } from './native-loader.js';
import { NativeUnavailableError } from './errors.js';

export type { NodeProcess } from './native-loader.js';

/** Always undefined in a browser: there is no Node process to load an addon into. */
export function nodeProcess(): NodeProcess | undefined {
  return undefined;
}

/** Never reached in a browser ({@link nodeProcess} is undefined); throws if called. */
export function requireAddon(_proc: NodeProcess, path: string): never {
  throw new NativeUnavailableError(`not running in Node.js (cannot load ${path})`);
}
