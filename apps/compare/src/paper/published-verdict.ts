/** Whether our result reproduces a published number. */
export type PublishedVerdictKind = 'reproduced' | 'not reproduced';

/** The comparison of our mean over seeds (and its interval) with a published number. */
export interface PublishedVerdict {
  readonly verdict: PublishedVerdictKind;
  /** Ours − paper (mean over seeds). */
  readonly difference: number;
  /** (ours − paper) / |paper|. */
  readonly relativeDifference: number;
  /** How far the interval's nearer end misses the paper's value on the worse side; 0 when reproduced. */
  readonly gap: number;
  /** Why, in words. */
  readonly reason: string;
}

/**
 * The verdict of one row of the "Published results" table: "reproduced" when our 95% interval of the mean contains
 * the paper's value or lies entirely on its better side ("beats it"); otherwise "not reproduced", with the gap
 * between the paper's value and the nearer end of our interval. With one seed the interval is unbounded, so the
 * mean itself must match or beat the paper's value.
 *
 * @example
 * publishedVerdict({ paper: 8.54, mean: 8.6, ciLow: 8.5, ciHigh: 8.7, higherIsBetter: false }).verdict; // 'reproduced'
 */
export function publishedVerdict(input: {
  readonly paper: number;
  readonly mean: number;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly higherIsBetter: boolean;
}): PublishedVerdict {
  const { paper, mean } = input;
  const { ciLow, ciHigh } = input;
  const bounded = ciLow !== null && ciHigh !== null && Number.isFinite(ciLow) && Number.isFinite(ciHigh);
  const low = bounded ? ciLow : mean;
  const high = bounded ? ciHigh : mean;
  const difference = mean - paper;
  const relativeDifference = paper === 0 ? Number.NaN : difference / Math.abs(paper);
  // Lower is better: reproduced when low ≤ paper (the interval contains it or lies below); mirrored for higher.
  const worseEnd = input.higherIsBetter ? high : low;
  const reproduced = input.higherIsBetter ? worseEnd >= paper : worseEnd <= paper;
  const contains = low <= paper && paper <= high;
  const what = bounded ? '95% interval' : 'single-seed mean';
  const range = bounded ? `[${fmt(low)}, ${fmt(high)}]` : fmt(mean);
  if (!Number.isFinite(mean)) return { verdict: 'not reproduced', difference, relativeDifference, gap: Number.NaN, reason: 'no result' };
  if (reproduced) {
    return {
      verdict: 'reproduced',
      difference,
      relativeDifference,
      gap: 0,
      reason: contains ? `our ${what} ${range} contains ${fmt(paper)}` : `our ${what} ${range} beats ${fmt(paper)}`,
    };
  }
  const gap = Math.abs(worseEnd - paper);
  return { verdict: 'not reproduced', difference, relativeDifference, gap, reason: `our ${what} ${range} misses ${fmt(paper)} by ${fmt(gap)}` };
}

function fmt(v: number): string {
  return Math.abs(v) >= 0.01 || v === 0 ? v.toPrecision(3) : v.toExponential(2);
}
