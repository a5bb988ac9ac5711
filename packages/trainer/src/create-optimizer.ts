import { ArgumentError, checkOptions } from '@gated/tensor';
import { OPTIMIZER_SPECS } from './option-specs.js';
import { Adam, AdamW, type AdamOptions } from './adam.js';
import type { Optimizer, OptimizerKind } from './optimizer.js';
import { RMSprop, type RMSpropOptions } from './rmsprop.js';
import { SGD, type SGDOptions } from './sgd.js';

/** Options accepted by {@link createOptimizer}, by kind. */
export type OptimizerOptions = SGDOptions & AdamOptions & RMSpropOptions;

/**
 * Builds a built-in optimizer by name. Options that the kind does not have are rejected, never ignored.
 *
 * @example
 * const opt = createOptimizer('adamw', { learningRate: 3e-4, weightDecay: 0.1 });
 */
export function createOptimizer(kind: OptimizerKind, options: OptimizerOptions = {}): Optimizer {
  const spec = OPTIMIZER_SPECS[kind];
  if (spec === undefined) throw new ArgumentError('optimizer', `one of ${Object.keys(OPTIMIZER_SPECS).join(', ')}`, `"${String(kind)}"`);
  checkOptions(`createOptimizer('${kind}')`, options, spec);
  switch (kind) {
    case 'sgd':
      return new SGD(options);
    case 'adam':
      return new Adam(options);
    case 'adamw':
      return new AdamW(options);
    case 'rmsprop':
      return new RMSprop(options);
  }
}
