import * as tf from '@tensorflow/tfjs-core';
import { linearCrossEntropy } from '@gated/cells';
import type { Batch } from '@gated/tensor';
import { clipByGlobalNorm, clipByValue, clipCoefficient, globalNorm, globalNormValue } from '../clip.js';
import { NonFiniteError, ShapeMismatchError } from '../errors.js';
import { checkClassIds, computeLoss, lengthMask } from '../losses.js';
import { LINEAR_REGRESSION_MAX_WORK, linearRegressionLoss } from '../linear-regression-loss.js';
import { type StatSums, addSums, emptySums, sumsOf } from '../metrics.js';
import type { TrainableModel, TrainForwardOptions } from '../model.js';
import { type Probe, checkReachesLastChunk, sequenceShape } from '../probe.js';
import { disposeState, keepState } from '../state.js';
import type { RunContext } from './run-context.js';
import type { RunState } from './run-state.js';

/** What one step (one batch, all its tbptt chunks) did. */
export interface BatchResult {
  /** The batch's loss and metric sums (zero for a skipped step). */
  readonly sums: StatSums;
  /** Largest global gradient norm of the batch's chunks, before clipping. */
  readonly gradNorm: number;
  /** True when a non-finite loss or gradient dropped the step (`onNonFinite: 'skip'`). */
  readonly skipped: boolean;
}

/** Disposes every tensor of a batch (`fit` owns the batches it takes). */
export const disposeBatch = (b: Batch): void => tf.dispose([b.x, b.y, b.lengths ?? [], b.mask ?? []]);

// The forward options of a training call.
const forwardOptions = <S>(lengths: tf.Tensor1D | undefined, initialState: S | undefined, training: boolean): TrainForwardOptions<S> => ({
  training,
  ...(lengths === undefined ? {} : { lengths }),
  ...(initialState === undefined ? {} : { initialState }),
});

/**
 * One optimizer step on `batch`, cut into chunks of `tbptt` time steps: the recurrent state is carried from
 * chunk to chunk with the gradient cut between them, and every chunk that has targets makes one update (for
 * sequence-level targets only the last chunk does). With `stateful`, the batch starts from the state the
 * previous batch left in `state.carried` and leaves its own there. Returns the batch's sums and its largest
 * gradient norm; a NaN/Inf loss or gradient throws {@link NonFiniteError}, or skips the step with
 * `onNonFinite: 'skip'`.
 */
export function trainBatch<S>(run: RunContext<S>, state: RunState<S>, batch: Batch, p: Probe, learningRate: number): BatchResult {
  const o = run.options;
  const { x, y } = batch;
  const { rows, steps } = sequenceShape(x, 'trainData');
  const k = o.tbptt !== undefined && o.tbptt < steps ? o.tbptt : steps;
  if (o.stateful && state.carried !== undefined && state.carriedBatch !== rows) {
    throw new ShapeMismatchError('stateful training batch', `${state.carriedBatch} rows like the previous batch (use dropRemainder)`, `${rows} rows`);
  }
  if (o.tbptt !== undefined && !p.perStep) checkReachesLastChunk(batch, o.tbptt);
  let carried = o.stateful ? state.carried : undefined;
  state.carried = undefined;
  const batchSums = emptySums();
  let gradNorm = 0;
  const weights = p.perStep ? (batch.mask ?? (batch.lengths === undefined ? undefined : lengthMask(batch.lengths, steps))) : undefined;
  // Lengths as numbers when the batch is cut into chunks.
  const allLengths = batch.lengths !== undefined && k < steps ? batch.lengths.dataSync() : undefined;
  // Checked before the tape starts, so a bad target leaves no recorded tensors behind.
  if (p.classes !== null) checkClassIds(y, p.classes, weights, { batch: state.batchInEpoch + 1, epoch: state.epoch, step: state.step + 1 });
  try {
    for (let start = 0; start < steps; start += k) {
      const len = Math.min(k, steps - start);
      const whole = len === steps;
      const last = start + len >= steps;
      const chunk = <T extends tf.Tensor>(t: T): T => (whole ? t : (tf.slice(t, [0, start], [-1, len]) as T));
      const xs = chunk(x);
      let lengths: tf.Tensor1D | undefined;
      if (batch.lengths !== undefined && (p.perStep || last)) {
        // Lengths within the chunk; a sequence that already ended keeps ≥ 1 step (its positions are masked).
        // (Computed in JS: tfjs-backend-wasm's ClipByValue returns float bits for int32 input.)
        lengths = allLengths === undefined ? batch.lengths : tf.tensor1d(Int32Array.from(allLengths, (n) => Math.min(Math.max(n - start, 1), len)), 'int32');
      }
      const own = [xs, lengths].filter((t): t is tf.Tensor => t !== undefined && t !== x && t !== batch.lengths);
      try {
        if (!p.perStep && !last) {
          // Sequence-level target: earlier chunks only advance the state.
          let next: S | undefined;
          // keepState keeps the state's tensors past the tidy; everything else the forward made is freed.
          tf.tidy(() => {
            next = keepState(run.model.forward(xs, forwardOptions(lengths, carried, true)).state);
          });
          disposeState(carried);
          carried = next;
          continue;
        }
        const ys = p.perStep ? chunk(y) : y;
        const ws = weights === undefined ? undefined : chunk(weights);
        if (ys !== y) own.push(ys);
        if (ws !== undefined && ws !== weights) own.push(ws);
        const taped = lossAndGradients(run, p, xs, ys, ws, lengths, carried);
        disposeState(carried);
        carried = taped.next;
        const update = applyUpdate(run, state, taped.grads, taped.stats, learningRate);
        if (update.skipped) {
          disposeState(carried);
          carried = undefined;
          return { sums: batchSums, gradNorm: update.gradNorm, skipped: true };
        }
        addSums(batchSums, update.sums);
        gradNorm = Math.max(gradNorm, update.gradNorm);
      } finally {
        tf.dispose(own);
      }
    }
  } catch (error) {
    disposeState(carried);
    throw error;
  } finally {
    if (weights !== undefined && weights !== batch.mask) weights.dispose();
  }
  if (o.stateful) {
    state.carried = carried;
    state.carriedBatch = rows;
  } else {
    disposeState(carried);
  }
  return { sums: batchSums, gradNorm, skipped: false };
}

/** The gradients of one chunk's loss (by parameter name), its loss sums as a tensor, and the state it ends in. */
function lossAndGradients<S>(
  run: RunContext<S>,
  p: Probe,
  xs: tf.Tensor,
  ys: tf.Tensor,
  ws: tf.Tensor | undefined,
  lengths: tf.Tensor1D | undefined,
  initialState: S | undefined,
): { grads: Record<string, tf.Tensor>; stats: tf.Tensor1D; next: S | undefined } {
  let taped: { stats: tf.Tensor1D; next: S | undefined } | undefined;
  const fused = fusedHead(run.model, p);
  const { value, grads: raw } = tf.variableGrads(() => {
    if (fused !== undefined) {
      // The head and softmax cross-entropy as one op: same loss and sums as computeLoss on forward's logits.
      const out = fused.forwardFeatures(xs, forwardOptions(lengths, initialState, true));
      const next = keepState(out.state);
      const targets = ys.dtype === 'int32' ? ys : tf.cast(ys, 'int32');
      const result = linearCrossEntropy(out.features, fused.head.weight, fused.head.bias, targets, ws === undefined ? {} : { weights: ws });
      // [lossSum, count, correct] + absSum and sqSum, which crossEntropy leaves at 0
      taped = { stats: tf.keep(tf.concat([result.stats, tf.zeros([2])]) as tf.Tensor1D), next };
      return result.loss;
    }
    const regression = ws === undefined ? regressionHead(run.model, p, xs.shape[0] ?? 0) : undefined;
    if (regression !== undefined) {
      // The head and the mse/mae loss as one op: same loss and sums as computeLoss on forward's output.
      const out = regression.forwardFeatures(xs, forwardOptions(lengths, initialState, true));
      const next = keepState(out.state);
      const K = regression.head.weight.shape[1];
      if (out.features.rank !== 2 || out.features.shape[1] !== K) throw new ShapeMismatchError('forwardFeatures of a sequence-level model', `features [B, ${K}]`, `[${out.features.shape.join(', ')}]`);
      const result = linearRegressionLoss(regression.loss, out.features as tf.Tensor2D, regression.head.weight as tf.Tensor2D, regression.head.bias as tf.Tensor1D | null, ys);
      taped = { stats: tf.keep(result.stats), next };
      return result.loss;
    }
    const out = run.model.forward(xs, forwardOptions(lengths, initialState, true));
    const next = keepState(out.state);
    const result = computeLoss(p.loss, out.output, ys, ws);
    taped = { stats: tf.keep(result.stats), next };
    return result.loss;
  }, run.variables);
  value.dispose();
  const grads: Record<string, tf.Tensor> = {};
  for (const [name, g] of Object.entries(raw)) grads[run.nameOfVariable.get(name) ?? name] = g;
  // variableGrads runs the loss function before it returns, so `taped` is set unless the model's forward threw.
  if (taped === undefined) throw new ShapeMismatchError('model.forward under the gradient tape', 'an output to take the loss of', 'none');
  return { grads, ...taped };
}

/** A model whose head and loss `fit` can fuse (crossEntropy on class ids, `forwardFeatures` and `head`), or undefined. */
function fusedHead<S>(model: TrainableModel<S>, p: Probe): (Required<Pick<TrainableModel<S>, 'forwardFeatures' | 'head'>>) | undefined {
  if (p.loss !== 'crossEntropy' || p.classes === null) return undefined;
  const { head } = model;
  if (typeof model.forwardFeatures !== 'function' || head === undefined || head.weight.shape[0] !== p.classes) return undefined;
  return { forwardFeatures: model.forwardFeatures.bind(model), head };
}

/**
 * A model whose sequence-level head and mse/mae loss `fit` can fuse (`forwardFeatures` and `head`, a head small
 * enough for {@link linearRegressionLoss} on `rows` rows), or undefined.
 */
function regressionHead<S>(model: TrainableModel<S>, p: Probe, rows: number): (Required<Pick<TrainableModel<S>, 'forwardFeatures' | 'head'>> & { loss: 'mse' | 'mae' }) | undefined {
  if ((p.loss !== 'mse' && p.loss !== 'mae') || p.perStep) return undefined;
  const { head } = model;
  if (typeof model.forwardFeatures !== 'function' || head === undefined || rows * head.weight.size > LINEAR_REGRESSION_MAX_WORK) return undefined;
  return { forwardFeatures: model.forwardFeatures.bind(model), head, loss: p.loss };
}

/**
 * Checks the chunk's loss and gradient norm, clips the gradients (by value, then by global norm) and lets the
 * optimizer step. Disposes `grads` and `stats`. A non-finite loss or norm throws or skips (`onNonFinite`).
 */
function applyUpdate<S>(
  run: RunContext<S>,
  state: RunState<S>,
  grads: Record<string, tf.Tensor>,
  stats: tf.Tensor1D,
  learningRate: number,
): { sums: StatSums; gradNorm: number; skipped: boolean } {
  const o = run.options;
  const numbers = stats.dataSync();
  stats.dispose();
  if (numbers.length !== 5) throw new ShapeMismatchError('loss statistics', '5 values', `${numbers.length} values`);
  const sums = sumsOf(numbers);
  const normValue = globalNormValue(Object.values(grads));
  const lossValue = sums.lossSum / sums.count;
  const bad = !Number.isFinite(sums.lossSum) ? ('loss' as const) : !Number.isFinite(normValue) ? ('gradient' as const) : undefined;
  if (bad !== undefined) {
    tf.dispose(Object.values(grads));
    if (o.onNonFinite === 'error') throw new NonFiniteError({ step: state.step + 1, epoch: state.epoch, what: bad, value: bad === 'loss' ? lossValue : normValue });
    return { sums, gradNorm: normValue, skipped: true };
  }
  if (o.clipValue === undefined) {
    // Clipping by norm alone: the coefficient from the norm already read, applied by the optimizer (inside the
    // native Adam kernel) instead of a tfjs multiply per gradient — the same float32 numbers as clipByGlobalNorm.
    const scale = o.clipNorm === undefined ? 1 : clipCoefficient(o.clipNorm, normValue);
    run.optimizer.step(run.params, grads, learningRate, scale);
    tf.dispose(Object.values(grads));
    return { sums, gradNorm: normValue, skipped: false };
  }
  const byValue = clipByValue(grads, o.clipValue);
  let clipped = byValue;
  if (o.clipNorm !== undefined) {
    const n2 = globalNorm(Object.values(byValue));
    clipped = clipByGlobalNorm(byValue, o.clipNorm, n2);
    tf.dispose([n2, ...Object.values(byValue)]);
  }
  run.optimizer.step(run.params, clipped, learningRate);
  tf.dispose([...Object.values(grads), ...Object.values(clipped)]);
  return { sums, gradNorm: normValue, skipped: false };
}
