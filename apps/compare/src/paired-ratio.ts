import { ArgumentError } from '@gated/tensor';
import { mean, std, studentTCdf, studentTQuantile } from './stats.js';

/**
 * A paired comparison of two contenders timed in the same rounds: the geometric mean of the per-round ratios
 * `a[i] / b[i]` and its confidence interval, from a one-sample Student-t test on the log ratios (the paired t-test
 * of log a against log b).
 */
export interface PairedRatio {
  /** Rounds (pairs). */
  readonly n: number;
  /** Geometric mean of a[i] / b[i]: below 1 when `a` is the smaller. */
  readonly ratio: number;
  /** The interval of the ratio (exp of the t-interval of the mean log ratio); NaN below two rounds. */
  readonly ciLow: number;
  readonly ciHigh: number;
  /** The confidence level, e.g. 0.95. */
  readonly level: number;
  /** Two-sided p-value of "the mean log ratio is 0"; NaN below two rounds. */
  readonly pValue: number;
}

/**
 * Paired test of two series measured round by round (e.g. step times of GRU and LSTM timed interleaved in one
 * process). Logs make the test about ratios, which a machine's load multiplies in both members of a round alike:
 * a load change between rounds cancels in the round's ratio instead of widening the interval, which is what makes a
 * 1.3× gap significant on a busy machine where per-seed means overlap.
 *
 * @example
 * const { ratio, ciHigh } = pairedRatio(gruMs, lstmMs); // ciHigh < 1: GRU's steps are shorter, at 95%
 */
export function pairedRatio(a: readonly number[], b: readonly number[], level = 0.95): PairedRatio {
  if (a.length !== b.length) throw new ArgumentError('pairedRatio', `two series of one length (one value per round)`, `${a.length} and ${b.length}`);
  const logs = a.map((v, i) => {
    const w = b[i] ?? Number.NaN;
    if (!(v > 0 && w > 0 && Number.isFinite(v) && Number.isFinite(w))) throw new ArgumentError(`pairedRatio round ${i}`, 'positive finite values', `${v} and ${w}`);
    return Math.log(v / w);
  });
  const n = logs.length;
  const m = mean(logs);
  if (n < 2) return { n, ratio: Math.exp(m), ciLow: Number.NaN, ciHigh: Number.NaN, level, pValue: Number.NaN };
  const se = std(logs) / Math.sqrt(n);
  if (se === 0) {
    // No spread at all: the ratio is known exactly.
    return { n, ratio: Math.exp(m), ciLow: Math.exp(m), ciHigh: Math.exp(m), level, pValue: m === 0 ? 1 : 0 };
  }
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * se;
  const pValue = 2 * (1 - studentTCdf(Math.abs(m / se), n - 1));
  return { n, ratio: Math.exp(m), ciLow: Math.exp(m - half), ciHigh: Math.exp(m + half), level, pValue };
}
