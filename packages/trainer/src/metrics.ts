import { ArgumentError } from '@gated/tensor';
import type { LossKind } from './losses.js';

/** Metrics `fit` can report besides `loss`. */
export type MetricName = 'accuracy' | 'perplexity' | 'bpc' | 'mae' | 'rmse';

/** Running sums over an epoch (see `STAT_FIELDS`); plain numbers, so they go into checkpoints as JSON. */
export interface StatSums {
  lossSum: number;
  count: number;
  correct: number;
  absSum: number;
  sqSum: number;
}

/** Sums at zero. */
export const emptySums = (): StatSums => ({ lossSum: 0, count: 0, correct: 0, absSum: 0, sqSum: 0 });

/**
 * The sums in the first five of `values`, in `computeLoss`'s `stats` order `[lossSum, count, correct, absSum,
 * sqSum]`; fewer values are an {@link ArgumentError}.
 */
export function sumsOf(values: ArrayLike<number>): StatSums {
  const [lossSum, count, correct, absSum, sqSum] = Array.from(values);
  if (lossSum === undefined || count === undefined || correct === undefined || absSum === undefined || sqSum === undefined) {
    throw new ArgumentError('stats', '5 values [lossSum, count, correct, absSum, sqSum]', `${values.length} values`);
  }
  return { lossSum, count, correct, absSum, sqSum };
}

/** Adds `more` into `sums`. */
export function addSums(sums: StatSums, more: StatSums): void {
  sums.lossSum += more.lossSum;
  sums.count += more.count;
  sums.correct += more.correct;
  sums.absSum += more.absSum;
  sums.sqSum += more.sqSum;
}

const FOR_LOSS: Record<MetricName, readonly LossKind[]> = {
  accuracy: ['crossEntropy'],
  perplexity: ['crossEntropy'],
  bpc: ['crossEntropy'],
  mae: ['mse', 'mae'],
  rmse: ['mse', 'mae'],
};

/** Throws unless every metric can be computed for `loss` (accuracy/perplexity/bpc need crossEntropy). */
export function checkMetrics(metrics: readonly string[], loss: LossKind): void {
  for (const m of metrics) {
    const allowed = FOR_LOSS[m as MetricName];
    if (allowed === undefined) throw new ArgumentError('metrics', `names from ${Object.keys(FOR_LOSS).join(', ')}`, `"${m}"`);
    if (!allowed.includes(loss)) throw new ArgumentError('metrics', `metrics that fit loss "${loss}"`, `"${m}" (needs loss ${allowed.join(' or ')})`);
  }
}

/**
 * The loss and metrics from epoch sums: loss = Σloss/N; accuracy = correct/N; perplexity = e^(mean cross-entropy);
 * bits per character = mean cross-entropy / ln 2; MAE = Σ|e|/N; RMSE = √(Σe²/N).
 */
export function metricValues(sums: StatSums, metrics: readonly MetricName[], prefix = ''): Record<string, number> {
  const n = sums.count;
  const mean = sums.lossSum / n;
  const out: Record<string, number> = { [`${prefix}loss`]: mean };
  for (const m of metrics) {
    const value = { accuracy: sums.correct / n, perplexity: Math.exp(mean), bpc: mean / Math.LN2, mae: sums.absSum / n, rmse: Math.sqrt(sums.sqSum / n) }[m];
    out[`${prefix}${m}`] = value;
  }
  return out;
}
