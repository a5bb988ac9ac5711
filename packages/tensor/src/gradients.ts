import * as tf from '@tensorflow/tfjs-core';
import { registerGradientsFallback } from './platform/node.js';

/**
 * Registers tfjs's gradient functions, which tfjs-core does not do by itself. Its own registration module
 * (`dist/register_all_gradients.js`) uses extensionless ESM imports that Node's loader rejects (bundlers and
 * vite accept them); on Node we fall back to tfjs-layers' CommonJS bundle, which registers the same gradient
 * functions into tfjs-core's global registry (bundlers never need it, so browser bundles leave tfjs-layers out).
 * Idempotent; {@link initBackend} calls it.
 */
export async function registerGradients(): Promise<void> {
  if (tf.getGradient('Add') !== undefined) return;
  try {
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  } catch (error) {
    await registerGradientsFallback(error);
  }
}
