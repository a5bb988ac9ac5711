import * as tf from '@tensorflow/tfjs-core';
import { GradientsUnavailableError } from '../check/errors.js';
import { registerWasmTrainingKernels } from './wasm-kernels.js';

// An optional peer dependency: held in a variable so bundlers and typecheckers do not require it.
const TFJS_LAYERS = '@tensorflow/tfjs-layers';

/**
 * Registers what training needs beyond a backend: tfjs's gradient functions, which tfjs-core does not register by
 * itself, and the kernels those gradients use that tfjs-backend-wasm lacks (the gradient of `tf.gather`).
 * {@link initBackend} calls it, so call it yourself only when you set the backend with `tf.setBackend`; `fit` of
 * @gated/trainer calls it before its first step. Importing a gated package registers nothing. Idempotent.
 *
 * Where the gradients come from: tfjs-core's own registration module (`dist/register_all_gradients.js`), which
 * bundlers and vite load; Node's loader rejects its extensionless imports, so on Node the same gradient
 * functions come from tfjs-layers' CommonJS bundle (an optional peer dependency: `npm install
 * @tensorflow/tfjs-layers`). When neither loads it throws {@link GradientsUnavailableError}.
 *
 * @example
 * await tf.setBackend('cpu');
 * await registerGradients(); // now tf.variableGrads works
 */
export async function registerGradients(): Promise<void> {
  registerWasmTrainingKernels();
  if (tf.getGradient('Add') !== undefined) return;
  try {
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    return;
  } catch {
    // Node: extensionless ESM imports inside tfjs-core's module; fall through to tfjs-layers.
  }
  try {
    await import(/* @vite-ignore */ TFJS_LAYERS);
  } catch (cause) {
    throw new GradientsUnavailableError(TFJS_LAYERS, cause);
  }
}
