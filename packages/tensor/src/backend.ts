import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ArgumentError, BackendUnavailableError } from './errors.js';
import { checkOptions } from './options.js';
import { registerGradients } from './gradients.js';
import { registerWasmTrainingKernels } from './wasm-kernels.js';

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

async function tryBackend(name: BackendName): Promise<unknown> {
  try {
    await register(name);
    if (await tf.setBackend(name)) {
      await tf.ready();
      await registerGradients();
      if (name === 'wasm') registerWasmTrainingKernels();
      return undefined;
    }
    return new Error(`tf.setBackend("${name}") returned false`);
  } catch (error) {
    return error ?? new Error('unknown failure');
  }
}

/**
 * Loads and activates a tfjs backend and returns its name, with tfjs's gradients registered (and, on wasm, the
 * kernels training needs that the wasm backend lacks). The wasm binaries load from the installed package, so no
 * network is needed.
 *
 * @example
 * const backend = await initBackend(); // 'wasm' unless tfjs-node is installed
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendName> {
  checkOptions('initBackend', options, { backend: ['auto', 'wasm', 'cpu', 'tensorflow'] });
  const wanted = options.backend ?? 'auto';
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
