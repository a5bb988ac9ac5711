import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-core registers no gradients by itself, and its registration module (`dist/register_all_gradients.js`)
 * uses extensionless ESM imports that Node's loader rejects (bundlers and vite accept them). On Node we fall
 * back to tfjs-layers' CommonJS bundle, which registers the same gradient functions into tfjs-core's global
 * registry. Run once on import, before any layer trains.
 */
async function registerGradients(): Promise<void> {
  if (tf.getGradient('Add') !== undefined) return;
  try {
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  } catch {
    await import('@tensorflow/tfjs-layers');
  }
}

await registerGradients();
