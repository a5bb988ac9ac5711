import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '@gated/tensor';
import { ShapeMismatchError } from './errors.js';
import { type LossKind, checkLossShapes } from './losses.js';
import type { TrainableModel } from './model.js';

const shapeText = (t: tf.Tensor) => `[${t.shape.join(', ')}]`;

/** What the first batch tells about the run: the loss and whether the model predicts every time step. */
export interface Probe {
  loss: LossKind;
  perStep: boolean;
  /** Number of classes when targets are class ids for crossEntropy (checked every batch), else null. */
  classes: number | null;
}

/** Runs the model once on a batch without training, turning any model/data mismatch into a clear error before step 1. */
export function probe<S>(model: TrainableModel<S>, batch: Batch, loss: LossKind | undefined, tbptt: number | undefined, which: string): Probe {
  const { x, y } = batch;
  if (x.rank !== 2 && x.rank !== 3) throw new ShapeMismatchError(`${which} x`, 'features [B, T, F] or token ids [B, T]', shapeText(x));
  const config = (model.config ?? {}) as Record<string, unknown>;
  if (x.rank === 3 && typeof config['inputSize'] === 'number' && x.shape[2] !== config['inputSize']) {
    throw new ShapeMismatchError(`${which} x features`, `${config['inputSize']} (the model's inputSize)`, `x ${shapeText(x)}`);
  }
  if (x.rank === 2 && x.dtype !== 'int32') throw new ShapeMismatchError(`${which} x`, 'int32 token ids for a [B, T] input (or float features [B, T, F])', `${x.dtype} ${shapeText(x)}`);
  if (y.shape[0] !== x.shape[0]) throw new ShapeMismatchError(`${which} y`, `${x.shape[0]} rows (the batch size of x)`, `y ${shapeText(y)}`);
  const kind: LossKind = loss ?? (y.dtype === 'int32' ? 'crossEntropy' : 'mse');
  const outputShape = tf.tidy(() => {
    let output: tf.Tensor;
    try {
      output = model.forward(x, batch.lengths === undefined ? { training: false } : { lengths: batch.lengths, training: false }).output;
    } catch (error) {
      const expected = typeof config['inputSize'] === 'number' ? `x [B, T, ${config['inputSize']}]` : 'an input the model accepts';
      throw new ShapeMismatchError(`${which}: the model's forward on the first batch`, expected, `x ${x.dtype} ${shapeText(x)} (${(error as Error).message})`, error);
    }
    return output.shape;
  });
  if (outputShape[0] !== x.shape[0]) throw new ShapeMismatchError(`${which}: model output`, `batch size ${x.shape[0]}`, `[${outputShape.join(', ')}]`);
  checkLossShapes(kind, outputShape, y.shape, batch.mask?.shape);
  const perStep = outputShape.length === 3;
  if (perStep && outputShape[1] !== x.shape[1]) throw new ShapeMismatchError(`${which}: per-step output`, `${x.shape[1]} time steps (as x)`, `[${outputShape.join(', ')}]`);
  if (tbptt !== undefined && !perStep) checkReachesLastChunk(batch, tbptt);
  // checkLossShapes made sure a crossEntropy output has a class axis.
  const classes = kind === 'crossEntropy' && y.rank === outputShape.length - 1 ? (outputShape.at(-1) ?? null) : null;
  return { loss: kind, perStep, classes };
}

/** Rows and time steps of a batch's x (`[B, T]` or `[B, T, F]`); a lower rank is a {@link ShapeMismatchError}. */
export function sequenceShape(x: tf.Tensor, which: string): { rows: number; steps: number } {
  const [rows, steps] = x.shape;
  if (rows === undefined || steps === undefined) throw new ShapeMismatchError(`${which} x`, 'features [B, T, F] or token ids [B, T]', shapeText(x));
  return { rows, steps };
}

/**
 * Sequence-level targets under truncated BPTT: the loss is taken after the last chunk, so every sequence must
 * reach it (a shorter one would be read past its end).
 */
export function checkReachesLastChunk(batch: Batch, tbptt: number): void {
  const { steps } = sequenceShape(batch.x, 'tbptt batch');
  if (batch.lengths === undefined || tbptt >= steps) return;
  const lastStart = steps - (steps % tbptt === 0 ? tbptt : steps % tbptt);
  const shortest = Math.min(...batch.lengths.dataSync());
  if (shortest <= lastStart) {
    throw new ShapeMismatchError('tbptt with sequence-level targets', `every length > ${lastStart} (reaching the last chunk of ${tbptt} steps)`, `a length of ${shortest}`);
  }
}

