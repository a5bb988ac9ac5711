import * as tf from '@tensorflow/tfjs-core';
import { type CtcLengths, type LogProbsView, lengthAt, readLengths, viewLogProbs } from './ctc-input.js';
import { type CtcSequence, ctcAlpha, ctcGradient } from './ctc-recursion.js';
import { CtcError } from './errors.js';
import { checkEnum, rejectUnknownOptions } from './options.js';

/** How per-sequence losses are combined: PyTorch's `reduction`. */
export type CtcReduction = 'none' | 'sum' | 'mean';

/** Targets: one label array per batch item, a padded int32 tensor [B, S], or PyTorch's concatenated 1-D form. */
export type CtcTargets = readonly (readonly number[])[] | tf.Tensor;

/** Options of {@link ctcLoss}; defaults in {@link CTC_LOSS_DEFAULTS}. */
export interface CtcLossOptions {
  /** Class index of the blank. */
  readonly blank?: number;
  /** 'mean' divides each loss by its target length (at least 1), then averages over the batch, as PyTorch. */
  readonly reduction?: CtcReduction;
  /** Impossible alignments give loss 0 and gradient 0 instead of ∞ (and a NaN gradient). */
  readonly zeroInfinity?: boolean;
  /** `logProbs` is [B, T, C] instead of PyTorch's time-major [T, B, C]. */
  readonly batchFirst?: boolean;
}

/** PyTorch's defaults (`torch.nn.functional.ctc_loss`), plus time-major layout. */
export const CTC_LOSS_DEFAULTS = { blank: 0, reduction: 'mean', zeroInfinity: false, batchFirst: false } as const satisfies Required<CtcLossOptions>;

const FN = 'ctcLoss';

function readTargets(targets: CtcTargets, targetLengths: Int32Array | undefined, B: number): { rows: Int32Array[]; lengths: Int32Array } {
  if (!(targets instanceof tf.Tensor)) {
    if (targets.length !== B) throw new CtcError('GATED_CTC_BAD_SHAPE', `${FN}: targets expected ${B} label arrays (one per batch item), got ${targets.length}`, { argument: 'targets', expected: String(B), actual: String(targets.length) });
    const lengths = targetLengths ?? Int32Array.from(targets, (t) => t.length);
    const rows = targets.map((t, b) => {
      const n = lengthAt(FN, 'targetLengths', lengths, b);
      if (n > t.length) throw new CtcError('GATED_CTC_BAD_LENGTH', `${FN}: targetLengths[${b}] expected at most ${t.length} (the labels given), got ${n}`, { argument: 'targetLengths', batch: b, expected: `0..${t.length}`, actual: String(n) });
      return Int32Array.from(t.slice(0, n));
    });
    return { rows, lengths };
  }
  if (targets.rank === 2) {
    const [rowsB, S] = targets.shape as [number, number];
    if (rowsB !== B) throw new CtcError('GATED_CTC_BAD_SHAPE', `${FN}: targets expected shape [${B}, S], got [${targets.shape.join(', ')}]`, { argument: 'targets', expected: `[${B}, S]`, actual: `[${targets.shape.join(', ')}]` });
    if (targetLengths === undefined) throw new CtcError('GATED_CTC_BAD_SHAPE', `${FN}: padded targets need targetLengths`, { argument: 'targetLengths', expected: `${B} lengths`, actual: 'undefined' });
    const data = targets.dataSync();
    const rows = Array.from({ length: B }, (_, b) => {
      const n = lengthAt(FN, 'targetLengths', targetLengths, b);
      if (n > S) throw new CtcError('GATED_CTC_BAD_LENGTH', `${FN}: targetLengths[${b}] expected at most ${S} (the padded target width), got ${n}`, { argument: 'targetLengths', batch: b, expected: `0..${S}`, actual: String(n) });
      return Int32Array.from(data.subarray(b * S, b * S + n));
    });
    return { rows, lengths: targetLengths };
  }
  if (targets.rank === 1) {
    if (targetLengths === undefined) throw new CtcError('GATED_CTC_BAD_SHAPE', `${FN}: concatenated targets need targetLengths`, { argument: 'targetLengths', expected: `${B} lengths`, actual: 'undefined' });
    const data = targets.dataSync();
    const total = targetLengths.reduce((a, b) => a + b, 0);
    if (total !== data.length) throw new CtcError('GATED_CTC_BAD_LENGTH', `${FN}: concatenated targets expected Σ targetLengths = ${total} labels, got ${data.length}`, { argument: 'targetLengths', expected: String(data.length), actual: String(total) });
    let at = 0;
    const rows = Array.from(targetLengths, (n) => {
      const row = Int32Array.from(data.subarray(at, at + n));
      at += n;
      return row;
    });
    return { rows, lengths: targetLengths };
  }
  throw new CtcError('GATED_CTC_BAD_SHAPE', `${FN}: targets expected [B, S] or concatenated [ΣS], got shape [${targets.shape.join(', ')}]`, { argument: 'targets', expected: '[B, S]', actual: `[${targets.shape.join(', ')}]` });
}

function checkLabels(rows: readonly Int32Array[], source: CtcTargets, numClasses: number, blank: number): void {
  rows.forEach((row, b) => {
    const original = source instanceof tf.Tensor ? row : (source[b] ?? []);
    for (let i = 0; i < row.length; i++) {
      const v = original[i];
      if (v === undefined || !Number.isInteger(v) || v < 0 || v >= numClasses || v === blank) {
        const why = v === blank ? `it is the blank (${blank})` : `it is outside 0..${numClasses - 1}`;
        throw new CtcError('GATED_CTC_BAD_LABEL', `${FN}: targets[${b}][${i}] expected a label in 0..${numClasses - 1} other than the blank ${blank}, got ${v} (${why})`, {
          argument: 'targets',
          batch: b,
          position: i,
          expected: `0..${numClasses - 1} except ${blank}`,
          actual: String(v),
        });
      }
    }
  });
}

function sequence(view: LogProbsView, b: number, inputLength: number, target: Int32Array, blank: number): CtcSequence {
  return { logProbs: view.data, offset: view.offset(b), strideT: view.strideT, numClasses: view.C, inputLength, target, blank };
}

/**
 * Connectionist Temporal Classification loss (Graves et al. 2006) with the semantics and defaults of PyTorch's
 * `torch.nn.functional.ctc_loss`: `logProbs` are log-softmax outputs [T, B, C] (time-major; `batchFirst` for
 * [B, T, C]), blank 0, reduction 'mean' (each loss divided by its target length, then the batch mean). The
 * forward–backward recursion runs in float64 in plain JS; the gradient is the analytic α·β posterior, attached
 * with `tf.customGrad`, so `tf.grad`/`variableGrads` through it cost one backward recursion.
 *
 * A target longer than its input (L > T_b) can never be aligned and is rejected with `GATED_CTC_TARGET_TOO_LONG`
 * unless `zeroInfinity` is set; a target that fits only without the blanks repeated labels need gives ∞ (or 0
 * with `zeroInfinity`), as PyTorch.
 *
 * @returns [B] losses for reduction 'none', else a scalar.
 * @example
 * const logProbs = tf.logSoftmax(logits);              // [T, B, C]
 * const loss = ctcLoss(logProbs, [[1, 2], [3]], [T, T - 2], [2, 1]);
 */
export function ctcLoss(
  logProbs: tf.Tensor,
  targets: CtcTargets,
  inputLengths: CtcLengths,
  targetLengths?: CtcLengths,
  options: CtcLossOptions = {},
): tf.Tensor {
  rejectUnknownOptions(FN, options, Object.keys(CTC_LOSS_DEFAULTS));
  const o = { ...CTC_LOSS_DEFAULTS, ...options };
  const reduction = checkEnum(FN, 'reduction', o.reduction, ['none', 'sum', 'mean'] as const);
  const view = viewLogProbs(FN, logProbs, o.batchFirst);
  const { T, B, C } = view;
  if (!Number.isInteger(o.blank) || o.blank < 0 || o.blank >= C) {
    throw new CtcError('GATED_CTC_BAD_OPTION', `${FN}: blank expected an integer in 0..${C - 1}, got ${o.blank}`, { argument: 'blank', expected: `0..${C - 1}`, actual: String(o.blank) });
  }
  const inLengths = readLengths(FN, 'inputLengths', inputLengths, B, T, 'the time axis of logProbs');
  const tgLengthsGiven = targetLengths === undefined ? undefined : readLengths(FN, 'targetLengths', targetLengths, B, Number.MAX_SAFE_INTEGER, 'any');
  const { rows } = readTargets(targets, tgLengthsGiven, B);
  checkLabels(rows, targets, C, o.blank);
  rows.forEach((row, b) => {
    if (row.length > lengthAt(FN, 'inputLengths', inLengths, b) && !o.zeroInfinity) {
      throw new CtcError('GATED_CTC_TARGET_TOO_LONG', `${FN}: target ${b} has ${row.length} labels but its input only ${inLengths[b]} frames; no alignment exists (set zeroInfinity to train past it)`, {
        argument: 'targets',
        batch: b,
        expected: `at most ${inLengths[b]} labels`,
        actual: `${row.length} labels`,
      });
    }
  });

  const run = tf.customGrad((...args: unknown[]) => {
    const x = args[0] as tf.Tensor;
    const seqs = rows.map((row, b) => sequence(view, b, lengthAt(FN, 'inputLengths', inLengths, b), row, o.blank));
    const forward = seqs.map((seq) => ({ seq, ...ctcAlpha(seq) }));
    const losses = new Float32Array(B);
    forward.forEach((f, b) => {
      losses[b] = o.zeroInfinity && f.nll === Number.POSITIVE_INFINITY ? 0 : f.nll;
    });
    // PyTorch: 'mean' = mean_b(loss_b / max(L_b, 1)).
    const weight = (b: number): number => (reduction === 'mean' ? 1 / (B * Math.max(rows[b]?.length ?? 0, 1)) : 1);
    let value: tf.Tensor;
    if (reduction === 'none') value = tf.tensor1d(losses);
    else {
      let total = 0;
      for (const [b, loss] of losses.entries()) total += loss * weight(b);
      value = tf.scalar(total);
    }
    const gradFunc = (dy: tf.Tensor): tf.Tensor => {
      const upstream = dy.dataSync();
      const grad = new Float32Array(view.data.length);
      forward.forEach((f, b) => {
        if (o.zeroInfinity && f.nll === Number.POSITIVE_INFINITY) return;
        const scale = lengthAt(FN, 'the upstream gradient', upstream, reduction === 'none' ? b : 0) * weight(b);
        ctcGradient(f.seq, f.alpha, f.nll, scale, grad);
      });
      return tf.tensor(grad, x.shape, 'float32');
    };
    return { value, gradFunc };
  });
  return run(logProbs);
}
