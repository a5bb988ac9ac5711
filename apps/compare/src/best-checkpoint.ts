import * as tf from '@tensorflow/tfjs-core';
import type { SequenceModel } from '@gated/cells';
import { ArgumentError } from '@gated/tensor';
import type { RecurrentTask } from './tasks/task.js';

/**
 * The best weights a run has shown so far on the validation split (early stopping's choice), kept as copies: offer
 * every validation score as training goes, then restore the kept weights before the final evaluation.
 */
export class BestCheckpoint {
  readonly #model: SequenceModel;
  readonly #higherIsBetter: boolean;
  #best: { readonly metric: number; readonly step: number; readonly weights: Record<string, tf.Tensor> } | undefined;

  constructor(model: SequenceModel, higherIsBetter: boolean) {
    this.#model = model;
    this.#higherIsBetter = higherIsBetter;
  }

  /** Keeps a copy of the model's weights when `metric`, scored after `step`, beats every score offered before. */
  offer(metric: number, step: number): void {
    const best = this.#best;
    if (best !== undefined && !(this.#higherIsBetter ? metric > best.metric : metric < best.metric)) return;
    const weights = Object.fromEntries(Object.entries(this.#model.parameters()).map(([name, v]) => [name, tf.clone(v)]));
    if (best !== undefined) tf.dispose(Object.values(best.weights));
    this.#best = { metric, step, weights };
  }

  /** The step whose weights are kept; undefined before the first offer. */
  get step(): number | undefined {
    return this.#best?.step;
  }

  /** Puts the kept weights back into the model (nothing when none were offered). */
  restore(): void {
    const best = this.#best;
    if (best === undefined) return;
    for (const [name, v] of Object.entries(this.#model.parameters())) {
      const saved = best.weights[name];
      if (saved === undefined) throw new ArgumentError('best checkpoint', `a copy of parameter ${name}`, 'none');
      v.assign(saved);
    }
  }

  dispose(): void {
    if (this.#best !== undefined) tf.dispose(Object.values(this.#best.weights));
    this.#best = undefined;
  }
}

/**
 * Throws unless `task`'s learning curve scores the validation split: choosing a checkpoint on the split the result
 * is scored on would leak the test set into the result.
 */
export function assertValidationCurve(where: string, task: RecurrentTask): void {
  if (task.evaluation.curve.split !== 'validation') {
    throw new ArgumentError(where, 'a task whose learning curve scores the validation split', `a curve on the ${task.evaluation.curve.split} split`);
  }
}
