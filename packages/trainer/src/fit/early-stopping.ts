import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '@gated/tensor';
import type { EarlyStoppingOptions } from './fit-options.js';

/** {@link EarlyStoppingOptions} with every default filled in, and the direction that counts as better. */
export interface EarlyStopping extends Required<EarlyStoppingOptions> {
  /** True when a larger monitored value is better (`mode: 'max'`, or `auto` for an accuracy). */
  readonly maximise: boolean;
}

/** Where early stopping stands; plain numbers, so it goes into checkpoints as JSON. */
export interface EarlyState {
  /** Best monitored value so far (±Infinity before the first epoch; JSON stores it as null). */
  best: number;
  /** 0-based epoch of `best`, -1 before the first epoch. */
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
}

/** Resolves the options: `monitor` defaults to `val_loss` with validation data, else `loss`. */
export function resolveEarlyStopping(options: EarlyStoppingOptions | undefined, hasValidation: boolean): EarlyStopping | undefined {
  if (options === undefined) return undefined;
  const resolved = { monitor: hasValidation ? 'val_loss' : 'loss', patience: 0, minDelta: 0, mode: 'auto' as const, restoreBestWeights: true, ...options };
  return { ...resolved, maximise: resolved.mode === 'max' || (resolved.mode === 'auto' && /acc/.test(resolved.monitor)) };
}

/** The state before the first epoch: nothing seen yet, so any value improves on `best`. */
export function initialEarlyState(es: EarlyStopping): EarlyState {
  return { best: worstValue(es), bestEpoch: -1, wait: 0 };
}

/** The value every monitored value improves on. */
export const worstValue = (es: EarlyStopping): number => (es.maximise ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY);

/**
 * Keras `EarlyStopping.on_epoch_end`: compares the epoch's monitored value with the best so far and updates
 * `early`. Returns 'improved' (a new best), 'stop' (patience used up) or 'wait'. A monitor that is not among
 * `logs` is an {@link ArgumentError} naming the logged values.
 */
export function noteEpoch(es: EarlyStopping, early: EarlyState, logs: Readonly<Record<string, number>>, epoch: number): 'improved' | 'stop' | 'wait' {
  const value = logs[es.monitor];
  if (value === undefined) throw new ArgumentError('earlyStopping.monitor', `one of ${Object.keys(logs).join(', ')}`, `"${es.monitor}"`);
  const improved = es.maximise ? value > early.best + es.minDelta : value < early.best - es.minDelta;
  if (improved) {
    early.best = value;
    early.bestEpoch = epoch;
    early.wait = 0;
    return 'improved';
  }
  early.wait += 1;
  return early.wait >= es.patience ? 'stop' : 'wait';
}

/** Copies of the weights, by parameter name (the best epoch's, for `restoreBestWeights`). */
export function copyWeights(params: Readonly<Record<string, tf.Variable>>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(params).map(([name, v]) => [name, tf.clone(v)]));
}

/** Puts copied weights back into the parameters they were copied from; every parameter needs its copy. */
export function assignWeights(params: Readonly<Record<string, tf.Variable>>, weights: Readonly<Record<string, tf.Tensor>>): void {
  for (const [name, v] of Object.entries(params)) {
    const w = weights[name];
    if (w === undefined) throw new ArgumentError('best weights', `a copy of every parameter, including ${name}`, 'none for it');
    v.assign(w);
  }
}
