import { ArgumentError } from '@gated/tensor';
import { Adam, AdamW, type AdamOptions } from './adam.js';
import type { Optimizer, OptimizerKind } from './optimizer.js';
import { RMSprop, type RMSpropOptions } from './rmsprop.js';
import { SGD, type SGDOptions } from './sgd.js';

/** Options accepted by {@link createOptimizer}, by kind. */
export type OptimizerOptions = SGDOptions & AdamOptions & RMSpropOptions;

const ALLOWED: Record<OptimizerKind, readonly string[]> = {
  sgd: ['learningRate', 'momentum', 'dampening', 'nesterov', 'weightDecay'],
  adam: ['learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay'],
  adamw: ['learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay'],
  rmsprop: ['learningRate', 'alpha', 'epsilon', 'momentum', 'centered', 'weightDecay'],
};

/**
 * Builds a built-in optimizer by name. Options that the kind does not have are rejected, never ignored.
 *
 * @example
 * const opt = createOptimizer('adamw', { learningRate: 3e-4, weightDecay: 0.1 });
 */
export function createOptimizer(kind: OptimizerKind, options: OptimizerOptions = {}): Optimizer {
  const allowed = ALLOWED[kind];
  if (allowed === undefined) throw new ArgumentError('optimizer', `one of ${Object.keys(ALLOWED).join(', ')}`, `"${String(kind)}"`);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new ArgumentError(`optimizer option "${key}"`, `one of ${allowed.join(', ')} for ${kind}`, key);
  }
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
