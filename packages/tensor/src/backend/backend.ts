import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ArgumentError, BackendUnavailableError, GradientsUnavailableError } from '../check/errors.js';
import { checkOptions } from '../check/options.js';
import { registerGradients } from './gradients.js';

/** Backends gated knows how to set up. `tensorflow` is tfjs-node's native backend. */
export type BackendName = 'wasm' | 'cpu' | 'tensorflow';

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** `auto` (default) picks `tensorflow` when @tensorflow/tfjs-node is installed, else `wasm`, else `cpu`. */
  readonly backend?: 'auto' | BackendName;
}

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
const emitter: NodeJS.EventEmitter = process;

/**
 * Runs `load` and then removes the process-wide 'uncaughtException'/'unhandledRejection' listeners it added.
 * tfjs-backend-wasm's emscripten module installs listeners that rethrow from inside the module when it is
 * instantiated, so any later uncaught error of the user's program would be reported from tf-backend-wasm with
 * exit code 7 instead of Node's usual output and exit code 1. The module never calls emscripten's exit(), the
 * only thing those listeners handle, so removing them changes nothing else.
 */
async function withoutAddedProcessListeners<T>(load: () => Promise<T>): Promise<T> {
  const before = PROCESS_EVENTS.map((event) => ({ event, listeners: new Set(emitter.listeners(event)) }));
  try {
    return await load();
  } finally {
    for (const { event, listeners } of before) {
      for (const listener of emitter.listeners(event)) {
        if (!listeners.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
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
    if (active) return undefined;
    return new Error(`tf.setBackend("${name}") returned false`);
  } catch (error) {
    return error ?? new Error('unknown failure');
  }
}

/**
 * Loads and activates a tfjs backend and returns its name, with what training needs registered once
 * ({@link registerGradients}: tfjs's gradient functions and, on wasm, the kernels they use that the wasm backend
 * lacks). Importing a gated package registers nothing: call this first. When the gradients cannot be loaded
 * (on Node without @tensorflow/tfjs-layers) the backend still works for inference, and training throws
 * {@link GradientsUnavailableError}. The wasm binaries load from the installed package, so no network is needed.
 *
 * @example
 * const backend = await initBackend(); // 'wasm' unless tfjs-node is installed
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendName> {
  checkOptions('initBackend', options, { backend: ['auto', 'wasm', 'cpu', 'tensorflow'] });
  const wanted = options.backend ?? 'auto';
  const backend = await activate(wanted);
  // Inference needs no gradients: without them initBackend still succeeds, and training reports what to install.
  await registerGradients().catch((error: unknown) => {
    if (!(error instanceof GradientsUnavailableError)) throw error;
  });
  return backend;
}

async function activate(wanted: 'auto' | BackendName): Promise<BackendName> {
  if (wanted === 'auto') {
    for (const name of ['tensorflow', 'wasm', 'cpu'] as const) {
      if ((await tryBackend(name)) === undefined) return name;
    }
    throw new BackendUnavailableError('cpu', INSTALL.cpu);
  }
  if (!(wanted in INSTALL)) throw new ArgumentError('backend', `one of auto, ${Object.keys(INSTALL).join(', ')}`, String(wanted));
  const failure = await tryBackend(wanted);
  if (failure !== undefined) throw new BackendUnavailableError(wanted, INSTALL[wanted], failure);
  return wanted;
}
