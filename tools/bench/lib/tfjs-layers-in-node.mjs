// Makes tfjs-layers (the benchmarks' peer) fully usable from plain Node ESM. tfjs-layers calls chained tensor
// methods (x.flatten()) that only tfjs-core's ESM files register, and those files use extensionless relative
// imports Node's loader rejects: resolve them with '.js' (or '/index.js') added. Its Cast gradient calls
// dy.clone(), which needs the ESM Tensor's op handler. Import this before @gated/* and tfjs-layers run.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier.startsWith('.') && !specifier.endsWith('.js') && context.parentURL?.includes('/@tensorflow/')) {
    try {
      return await next(specifier + '.js', context);
    } catch {
      return next(specifier + '/index.js', context);
    }
  }
  return next(specifier, context);
}`)}`,
);
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
await import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js');
const { setOpHandler } = await import('@tensorflow/tfjs-core/dist/tensor.js');
setOpHandler(await import('@tensorflow/tfjs-core/dist/ops/ops.js'));
