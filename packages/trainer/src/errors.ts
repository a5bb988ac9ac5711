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
