import type * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from './errors.js';

/** The run position a checkpoint's metadata claims, as read from the file (nothing trusted yet). */
export interface SavedPosition {
  readonly step: unknown;
  readonly epoch: unknown;
  readonly batchInEpoch: unknown;
  readonly skippedSteps: unknown;
  readonly steps: unknown;
  readonly optimizer: unknown;
}

/** What the resuming run knows, to hold the checkpoint's claims against. */
export interface ResumeTarget {
  /** Batches per epoch of the training data, when the dataset knows it. */
  readonly batchesPerEpoch: number | undefined;
  readonly parameterShapes: Readonly<Record<string, readonly number[]>>;
  /** The optimizer's slot names ({@link Optimizer.slotNames}), undefined when it does not say. */
  readonly slotNames: readonly string[] | undefined;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Checks that a checkpoint's run position and optimizer state are in range before a resume uses them: the step,
 * epoch and batch counters are non-negative integers, the batch within the epoch is not past the epoch, the
 * per-step logs hold one entry per step, and every parameter has every optimizer slot (once the optimizer has
 * stepped) with the parameter's shape. Anything else is a {@link CheckpointError} ('corrupt'): a resume never
 * continues silently from a position that does not exist.
 */
export function checkSavedPosition(file: string, meta: SavedPosition, slots: Readonly<Record<string, tf.Tensor>>, target: ResumeTarget): void {
  const corrupt = (field: string, expected: string, actual: unknown) =>
    new CheckpointError(file, 'corrupt', `${field} ${expected}`, typeof actual === 'string' ? actual : (JSON.stringify(actual) ?? String(actual)));
  if (!isCount(meta.step)) throw corrupt('step', 'a non-negative integer', meta.step);
  if (!isCount(meta.epoch)) throw corrupt('epoch', 'a non-negative integer', meta.epoch);
  if (!isCount(meta.batchInEpoch)) throw corrupt('batchInEpoch', 'a non-negative integer', meta.batchInEpoch);
  if (target.batchesPerEpoch !== undefined && meta.batchInEpoch > target.batchesPerEpoch) {
    throw corrupt('batchInEpoch', `at most the ${target.batchesPerEpoch} batches of an epoch of trainData`, meta.batchInEpoch);
  }
  if (meta.batchInEpoch > meta.step) throw corrupt('batchInEpoch', `at most step (${meta.step})`, meta.batchInEpoch);
  if (!isCount(meta.skippedSteps) || meta.skippedSteps > meta.step) throw corrupt('skippedSteps', `an integer in [0, ${meta.step}]`, meta.skippedSteps);
  const logs = meta.steps as { loss?: unknown; gradNorm?: unknown; learningRate?: unknown } | null;
  for (const key of ['loss', 'gradNorm', 'learningRate'] as const) {
    const log = logs?.[key];
    if (!Array.isArray(log) || log.length !== meta.step) throw corrupt(`steps.${key}`, `a list of ${meta.step} values (one per step)`, Array.isArray(log) ? `${log.length} values` : log);
  }
  const optimizer = meta.optimizer as { stepCount?: unknown } | null;
  if (!isCount(optimizer?.stepCount)) throw corrupt('optimizer.stepCount', 'a non-negative integer', optimizer?.stepCount);
  const names = Object.keys(target.parameterShapes);
  for (const [key, tensor] of Object.entries(slots)) {
    const dot = key.lastIndexOf('.');
    const shape = target.parameterShapes[key.slice(0, dot)];
    const slot = key.slice(dot + 1);
    if (dot < 0 || shape === undefined || (target.slotNames !== undefined && !target.slotNames.includes(slot))) {
      throw corrupt(`optimizer slot "${key}":`, `a slot <parameter>.<${target.slotNames?.join('|') ?? 'slot'}> of one of ${names.join(', ')}`, 'an unknown slot');
    }
    if (JSON.stringify(tensor.shape) !== JSON.stringify(shape)) throw corrupt(`optimizer slot "${key}":`, `shape [${shape.join(', ')}]`, tensor.shape);
  }
  if (target.slotNames === undefined || optimizer.stepCount === 0) return;
  for (const name of names) {
    for (const slot of target.slotNames) {
      if (slots[`${name}.${slot}`] === undefined) throw new CheckpointError(file, 'corrupt', `optimizer slot ${name}.${slot} (the optimizer has taken ${optimizer.stepCount} steps)`, 'missing');
    }
  }
}
