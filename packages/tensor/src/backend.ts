import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ArgumentError, BackendUnavailableError } from './errors.js';
import { checkOptions, describeValue } from './options.js';
import { registerGradients } from './gradients.js';
import { registerWasmTrainingKernels } from './wasm-kernels.js';

/** Backends gated knows how to set up. `tensorflow` is tfjs-node's native backend. */
export type BackendName = 'wasm' | 'cpu' | 'tensorflow';

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * `auto` (default) picks `tensorflow` when @tensorflow/tfjs-node is installed (Node only), else `wasm`, else
   * `cpu`.
   */
  readonly backend?: 'auto' | BackendName;
  /**
   * Where the wasm backend fetches its `.wasm` files in a browser: a URL prefix ending in `/` under which
   * `tfjs-backend-wasm.wasm`, `tfjs-backend-wasm-simd.wasm` and `tfjs-backend-wasm-threaded-simd.wasm` are served,
   * or a map from those file names to URLs (what a bundler gives for `import url from '….wasm?url'`). Passed to
   * tfjs-backend-wasm's `setWasmPaths` before the backend starts. Default: none (Node reads the files from the
   * installed package; a page fetches them beside its script).
   */
  readonly wasmPaths?: string | WasmPaths;
}

/** The wasm files of tfjs-backend-wasm, by name, mapped to the URLs a page serves them at. */
export type WasmPaths = { readonly [file in WasmFile]?: string };

/** The `.wasm` files tfjs-backend-wasm may fetch (which one depends on SIMD and thread support). */
export const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;
type WasmFile = (typeof WASM_FILES)[number];

const INSTALL: Record<BackendName, string> = {
  wasm: 'npm install @tensorflow/tfjs-backend-wasm',
  cpu: 'npm install @tensorflow/tfjs-backend-cpu',
  tensorflow: 'npm install @tensorflow/tfjs-node',
};

// An optional peer dependency: held in a variable so bundlers and typecheckers do not require it.
const TFJS_NODE = '@tensorflow/tfjs-node';

async function register(name: BackendName): Promise<void> {
  // Importing a backend package registers it with tfjs-core as a side effect.
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (name === 'tensorflow') await import(/* @vite-ignore */ TFJS_NODE);
}

// Typed as Node's EventEmitter sees them (process's own overloads do not accept a union of event names).
const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;
// Undefined in a browser or a Web Worker, where there are no process-wide listeners to restore.
const emitter: NodeJS.EventEmitter | undefined = (globalThis as { process?: NodeJS.EventEmitter }).process;
const IN_NODE = typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';

/**
 * Runs `load` and then removes the process-wide 'uncaughtException'/'unhandledRejection' listeners it added.
 * tfjs-backend-wasm's emscripten module installs listeners that rethrow from inside the module when it is
 * instantiated, so any later uncaught error of the user's program would be reported from tf-backend-wasm with
 * exit code 7 instead of Node's usual output and exit code 1. The module never calls emscripten's exit(), the
 * only thing those listeners handle, so removing them changes nothing else.
 */
async function withoutAddedProcessListeners<T>(load: () => Promise<T>): Promise<T> {
  if (emitter === undefined) return load();
  const before = new Map(PROCESS_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  try {
    return await load();
  } finally {
    for (const event of PROCESS_EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
}

async function tryBackend(name: BackendName): Promise<unknown> {
  try {
    await register(name);
    const active = await withoutAddedProcessListeners(async () => {
      if (!(await tf.setBackend(name))) return false;
      await tf.ready();
      return true;
    });
    if (active) {
      await registerGradients();
      if (name === 'wasm') registerWasmTrainingKernels();
      return undefined;
    }
    return new Error(`tf.setBackend("${name}") returned false`);
  } catch (error) {
    return error ?? new Error('unknown failure');
  }
}

function checkWasmPaths(paths: unknown): string | WasmPaths {
  if (typeof paths === 'string') {
    if (!paths.endsWith('/')) throw new ArgumentError('initBackend wasmPaths', "a URL prefix ending in '/'", JSON.stringify(paths));
    return paths;
  }
  if (typeof paths !== 'object' || paths === null || Array.isArray(paths)) {
    throw new ArgumentError('initBackend wasmPaths', 'a URL prefix string or a map from wasm file names to URLs', describeValue(paths));
  }
  for (const [file, url] of Object.entries(paths)) {
    if (!(WASM_FILES as readonly string[]).includes(file)) throw new ArgumentError(`initBackend wasmPaths["${file}"]`, `one of ${WASM_FILES.join(', ')}`, JSON.stringify(file));
    if (typeof url !== 'string') throw new ArgumentError(`initBackend wasmPaths["${file}"]`, 'a URL string', describeValue(url));
  }
  return paths as WasmPaths;
}

async function setWasmPaths(paths: string | WasmPaths): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(paths as Parameters<typeof wasm.setWasmPaths>[0]);
}

/**
 * Loads and activates a tfjs backend and returns its name, with tfjs's gradients registered (and, on wasm, the
 * kernels training needs that the wasm backend lacks). In Node the wasm binaries load from the installed package,
 * so no network is needed; in a browser they are fetched from `wasmPaths` (or beside the script).
 *
 * @example
 * const backend = await initBackend(); // 'wasm' unless tfjs-node is installed
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendName> {
  checkOptions('initBackend', options, { backend: ['auto', 'wasm', 'cpu', 'tensorflow'], wasmPaths: 'any' });
  const wanted = options.backend ?? 'auto';
  if (options.wasmPaths !== undefined) await setWasmPaths(checkWasmPaths(options.wasmPaths));
  if (wanted === 'auto') {
    for (const name of IN_NODE ? (['tensorflow', 'wasm', 'cpu'] as const) : (['wasm', 'cpu'] as const)) {
      if ((await tryBackend(name)) === undefined) return name;
    }
    throw new BackendUnavailableError('cpu', INSTALL.cpu);
  }
  if (!(wanted in INSTALL)) throw new ArgumentError('backend', `one of auto, ${Object.keys(INSTALL).join(', ')}`, String(wanted));
  const failure = await tryBackend(wanted);
  if (failure !== undefined) throw new BackendUnavailableError(wanted, INSTALL[wanted], failure);
  return wanted;
}
