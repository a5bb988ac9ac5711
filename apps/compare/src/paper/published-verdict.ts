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
 * Half a unit in the last digit of `value` as printed in its shortest decimal form (8.67 → 0.005, 0.0204 → 0.00005,
 * 5.3e-5 → 5e-7, 600 → 0.5): a number printed to that precision stands for every value within this distance of it. A paper that
 * printed trailing zeros ("0.20") is read with one digit less, which only makes the verdict stricter.
 */
export function printedHalfUnit(value: number): number {
  if (!Number.isFinite(value) || value === 0) return 0;
  const printed = String(Math.abs(value));
  if (printed.includes('e')) {
    const [mantissa = '', exponent = '0'] = printed.split('e');
    return 0.5 * 10 ** (Number(exponent) - (mantissa.split('.')[1] ?? '').length);
  }
  return 0.5 * 10 ** -(printed.split('.')[1] ?? '').length;
}

/**
 * The verdict of one row of the "Published results" table: "reproduced" when our 95% interval of the mean overlaps
 * the paper's value as printed (the value ± half a unit in its last printed digit, `printedHalfUnit`) or lies
 * entirely on its better side ("beats it"); otherwise "not reproduced", with the gap between the printed value's
 * range and the nearer end of our interval. With one seed the interval is unbounded, so the mean itself must match
 * or beat the paper's value.
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
  // The paper's value as printed covers [paper − h, paper + h]: a difference below its last digit is not a miss.
  const half = printedHalfUnit(paper);
  const paperLow = paper - half;
  const paperHigh = paper + half;
  // Lower is better: reproduced when low ≤ paperHigh (the interval overlaps the printed range or lies below);
  // mirrored for higher.
  const worseEnd = input.higherIsBetter ? high : low;
  const reproduced = input.higherIsBetter ? worseEnd >= paperLow : worseEnd <= paperHigh;
  const contains = low <= paperHigh && paperLow <= high;
  const what = bounded ? '95% interval' : 'single-seed mean';
  const range = bounded ? `[${fmt(low)}, ${fmt(high)}]` : fmt(mean);
  if (!Number.isFinite(mean)) return { verdict: 'not reproduced', difference, relativeDifference, gap: Number.NaN, reason: 'no result' };
  if (reproduced) {
    const relation = !contains ? 'beats' : low <= paper && paper <= high ? 'contains' : 'meets, within its printed precision,';
    return {
      verdict: 'reproduced',
      difference,
      relativeDifference,
      gap: 0,
      reason: `our ${what} ${range} ${relation} ${fmt(paper)}`,
    };
  }
  const gap = Math.abs(worseEnd - (input.higherIsBetter ? paperLow : paperHigh));
  return { verdict: 'not reproduced', difference, relativeDifference, gap, reason: `our ${what} ${range} misses ${fmt(paper)} by ${fmt(gap)}` };
}

function fmt(v: number): string {
  return Math.abs(v) >= 0.01 || v === 0 ? v.toPrecision(3) : v.toExponential(2);
}
