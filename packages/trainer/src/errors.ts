import { GatedError } from '@gated/tensor';

/** A loss or gradient became NaN or ±Inf; `details.step` is the 1-based step that produced it. */
export class NonFiniteError extends GatedError<{ step: number; epoch: number; what: 'loss' | 'gradient'; value: number }> {
  constructor(details: { step: number; epoch: number; what: 'loss' | 'gradient'; value: number }) {
    super(
      'GATED_NON_FINITE',
      `${details.what === 'loss' ? 'loss' : 'gradient norm'} is ${details.value} at step ${details.step} (epoch ${details.epoch}): expected a finite number; lower the learning rate, clip gradients (clipNorm) or set onNonFinite: 'skip'`,
      details,
    );
  }
}

/** The model and the data do not fit together (found before training starts). */
export class ShapeMismatchError extends GatedError<{ what: string; expected: string; actual: string }> {
  constructor(what: string, expected: string, actual: string, cause?: unknown) {
    super('GATED_SHAPE_MISMATCH', `${what}: expected ${expected}, got ${actual}`, { what, expected, actual }, { cause });
  }
}

/** A dataset yielded no batch (or says its size is 0). */
export class EmptyDatasetError extends GatedError<{ dataset: string }> {
  constructor(dataset: string) {
    super('GATED_EMPTY_DATASET', `${dataset}: expected at least one batch, got an empty dataset`, { dataset });
  }
}

/** Why a checkpoint cannot be used. */
export type CheckpointProblem = 'not-found' | 'corrupt' | 'mismatch';

/**
 * A checkpoint is missing (with `resume: true`), unreadable, or belongs to another model, optimizer or run
 * set-up. Training never silently starts fresh instead.
 */
export class CheckpointError extends GatedError<{ file: string; problem: CheckpointProblem; expected: string; actual: string }> {
  constructor(file: string, problem: CheckpointProblem, expected: string, actual: string, cause?: unknown) {
    const code = { 'not-found': 'GATED_CHECKPOINT_NOT_FOUND', corrupt: 'GATED_CHECKPOINT_CORRUPT', mismatch: 'GATED_CHECKPOINT_MISMATCH' }[problem];
    super(code, `${file}: ${problem === 'not-found' ? 'no checkpoint' : `${problem} checkpoint`}: expected ${expected}, got ${actual}`, { file, problem, expected, actual }, { cause });
  }
}

/** Where a batch sits in a run, for errors about its data (all 1-based but epoch, which is 0-based as in logs). */
export interface BatchLocation {
  /** 1-based batch within the epoch (fit) or within the pass (evaluate). */
  readonly batch?: number;
  readonly epoch?: number;
  /** 1-based global training step. */
  readonly step?: number;
  /** Time offset of a tbptt chunk inside the batch, added to the reported time index. */
  readonly timeOffset?: number;
}

/**
 * A class-id target is outside the model's output: negative, ≥ outputSize, or not an integer. Without this
 * check tfjs's one-hot turns such a target into an all-zero row — loss 0, silently. Code
 * `GATED_LABEL_OUT_OF_RANGE`; `details.position` indexes `y` ([row] or [row, time]).
 */
export class LabelRangeError extends GatedError<{
  readonly value: number;
  readonly position: readonly number[];
  readonly classes: number;
  readonly batch: number | null;
  readonly epoch: number | null;
  readonly step: number | null;
}> {
  constructor(value: number, position: readonly number[], classes: number, where: BatchLocation = {}) {
    const at = [
      where.batch === undefined ? 'batch ?' : `batch ${where.batch}`,
      where.epoch === undefined ? '' : ` of epoch ${where.epoch}`,
      where.step === undefined ? '' : ` (step ${where.step})`,
    ].join('');
    super(
      'GATED_LABEL_OUT_OF_RANGE',
      `targets y[${position.join(', ')}] in ${at}: expected an integer class id in 0..${classes - 1} (the model's outputSize is ${classes}), got ${value}`,
      { value, position, classes, batch: where.batch ?? null, epoch: where.epoch ?? null, step: where.step ?? null },
    );
  }
}
