import * as tf from '@tensorflow/tfjs-core';
import type { SequenceModel } from '@gated/cells';
import { clipByGlobalNorm, createOptimizer, globalNorm } from '@gated/trainer';
import { ArgumentError } from '@gated/tensor';
import { at } from '../lookup.js';
import { predictor } from '../measure-seed.js';
import type { PaperBudget, PreparedPaperTask } from './paper-task.js';

/** One training run with early stopping: the best validation checkpoint and where it was. */
export interface EarlyStoppedRun {
  readonly bestValid: number;
  /** Step of the best validation checkpoint (0 = the untrained model). */
  readonly bestStep: number;
  /** Steps trained before stopping. */
  readonly steps: number;
  readonly stoppedEarly: boolean;
  /** Validation metric at every evaluation, with its step. */
  readonly validCurve: { readonly step: readonly number[]; readonly metric: readonly number[] };
  /** Wall time of training and validation (ms). */
  readonly trainMs: number;
}

/** What {@link trainEarlyStopping} needs. */
export interface EarlyStoppingRequest {
  readonly model: SequenceModel;
  readonly task: PreparedPaperTask;
  readonly budget: PaperBudget;
  readonly learningRate: number;
  readonly maxSteps: number;
  readonly seed: number;
  /** Called after every step (progress). */
  readonly onStep?: (step: number, loss: number) => void;
}

/** The gradient `tf.variableGrads` returned for `v` (keyed by the variable's tfjs name). */
function gradientOf(grads: tf.NamedTensorMap, v: tf.Variable): tf.Tensor {
  const grad = grads[v.name];
  if (grad === undefined) throw new ArgumentError('grads', `a gradient for variable ${v.name}`, 'none');
  return grad;
}

/** The best checkpoint's copy of parameter `name`. */
function savedOf(weights: Readonly<Record<string, tf.Tensor>>, name: string): tf.Tensor {
  const saved = weights[name];
  if (saved === undefined) throw new ArgumentError('best weights', `a copy of parameter ${name}`, 'none');
  return saved;
}

function snapshot(params: Readonly<Record<string, tf.Variable>>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(params).map(([name, v]) => [name, tf.clone(v)]));
}

/**
 * Trains with Adam and gradient-norm clipping, evaluates the validation split every `evalEvery` steps, stops after
 * `patience` evaluations without improvement, and leaves the model at its best validation checkpoint (the weights
 * are restored), so the caller's test score is that checkpoint's.
 */
export async function trainEarlyStopping(request: EarlyStoppingRequest): Promise<EarlyStoppedRun> {
  const { model, task, budget, learningRate, maxSteps, seed } = request;
  const params = model.parameters();
  const named = Object.entries(params);
  const vars = named.map(([, v]) => v);
  const optimizer = createOptimizer('adam', { learningRate });
  const predict = predictor(model);
  const start = performance.now();
  let best = await task.evaluate(predict, 'valid');
  let bestStep = 0;
  let bestWeights = snapshot(params);
  let wait = 0;
  let step = 0;
  let stoppedEarly = false;
  const validCurve = { step: [0], metric: [best] };
  const batches = task.trainBatches(seed);
  try {
    while (step < maxSteps) {
      const next = await batches.next();
      if (next.done === true) break;
      const batch = next.value;
      const lossValue = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const out = model.forward(batch.x, { training: true, ...(batch.lengths ? { lengths: batch.lengths } : {}) }).output;
          return task.loss(out, batch);
        }, vars);
        const gradients = Object.fromEntries(named.map(([n, v]) => [n, gradientOf(grads, v)]));
        const clipped = clipByGlobalNorm(gradients, budget.clipNorm, globalNorm(Object.values(gradients)));
        optimizer.step(params, clipped);
        return value;
      });
      tf.dispose([batch.x, batch.y, ...(batch.lengths ? [batch.lengths] : []), ...(batch.mask ? [batch.mask] : [])]);
      const loss = at(await lossValue.data(), 0, 'loss value');
      lossValue.dispose();
      step++;
      request.onStep?.(step, loss);
      if (!Number.isFinite(loss)) {
        stoppedEarly = true;
        break;
      }
      if (step % budget.evalEvery === 0 || step === maxSteps) {
        const metric = await task.evaluate(predict, 'valid');
        validCurve.step.push(step);
        validCurve.metric.push(metric);
        if (metric < best) {
          best = metric;
          bestStep = step;
          tf.dispose(Object.values(bestWeights));
          bestWeights = snapshot(params);
          wait = 0;
        } else if (++wait >= budget.patience) {
          stoppedEarly = step < maxSteps;
          break;
        }
      }
    }
    for (const [name, v] of named) v.assign(savedOf(bestWeights, name));
  } finally {
    tf.dispose(Object.values(bestWeights));
    optimizer.dispose();
    await batches.return?.();
  }
  return { bestValid: best, bestStep, steps: step, stoppedEarly, validCurve, trainMs: performance.now() - start };
}
