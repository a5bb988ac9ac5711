import * as tf from '@tensorflow/tfjs-core';
import { assertDataset, assertModel } from './model.js';
import { EVALUATE_SPEC } from './option-specs.js';
import { checkOptions } from '@gated/tensor';
import type { Dataset } from '@gated/tensor';
import { EmptyDatasetError, ShapeMismatchError } from './errors.js';
import { type LossKind, checkLossShapes, computeLoss, lengthMask } from './losses.js';
import { type MetricName, type StatSums, addSums, checkMetrics, emptySums, metricValues, sumsOf } from './metrics.js';
import type { TrainableModel } from './model.js';
import { sequenceShape } from './probe.js';
import { disposeState, keepState } from './state.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Default: crossEntropy when y is int32, else mse (as `fit`). */
  readonly loss?: LossKind;
  readonly metrics?: readonly MetricName[];
  /** Carry the state from batch to batch (contiguous language-model batches). Default false. */
  readonly stateful?: boolean;
}

/**
 * The sums of a whole pass over `data` without training (dropout off). Per-step outputs are weighted by the
 * batch's mask (or its lengths). Disposes every batch.
 */
export async function evaluateSums<S>(model: TrainableModel<S>, data: Dataset, options: EvaluateOptions = {}): Promise<{ sums: StatSums; loss: LossKind }> {
  const total = emptySums();
  let state: S | undefined;
  let kind = options.loss;
  try {
    let index = 0;
    for await (const batch of data) {
      index += 1;
      try {
        const numbers = tf.tidy(() => {
          const init = options.stateful ? state : undefined;
          const out = model.forward(batch.x, {
            training: false,
            ...(batch.lengths === undefined ? {} : { lengths: batch.lengths }),
            ...(init === undefined ? {} : { initialState: init }),
          });
          kind ??= batch.y.dtype === 'int32' ? 'crossEntropy' : 'mse';
          checkLossShapes(kind, out.output.shape, batch.y.shape, batch.mask?.shape);
          const perStep = out.output.rank === 3;
          if (perStep && out.output.shape[1] !== batch.x.shape[1]) {
            throw new ShapeMismatchError('per-step model output', `${batch.x.shape[1]} time steps (as x)`, `[${out.output.shape.join(', ')}]`);
          }
          const weights = perStep ? (batch.mask ?? (batch.lengths === undefined ? undefined : lengthMask(batch.lengths, sequenceShape(batch.x, 'data').steps))) : undefined;
          if (options.stateful) {
            disposeState(state);
            state = keepState(out.state);
          }
          return computeLoss(kind, out.output, batch.y, weights, { batch: index }).stats;
        });
        addSums(total, sumsOf(numbers.dataSync()));
        numbers.dispose();
      } finally {
        tf.dispose([batch.x, batch.y, batch.lengths ?? [], batch.mask ?? []]);
      }
    }
  } finally {
    disposeState(state);
  }
  if (kind === undefined) throw new EmptyDatasetError('data');
  return { sums: total, loss: kind };
}

/**
 * Keras `evaluate`: the loss and metrics of `model` over one pass of `data`, as ratios over all valid positions.
 *
 * @example
 * const { loss, accuracy } = await evaluate(model, testData, { metrics: ['accuracy'] });
 */
export async function evaluate<S>(model: TrainableModel<S>, data: Dataset, options: EvaluateOptions = {}): Promise<Record<string, number>> {
  checkOptions('evaluate', options, EVALUATE_SPEC);
  assertModel('evaluate model', model);
  assertDataset('evaluate data', data);
  const metrics = options.metrics ?? [];
  if (options.loss !== undefined) checkMetrics(metrics, options.loss);
  const { sums, loss } = await evaluateSums(model, data, options);
  checkMetrics(metrics, loss);
  return metricValues(sums, metrics);
}
