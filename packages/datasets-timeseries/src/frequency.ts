import { ArgumentError } from '@gated/tensor';

/** Frequencies a series can be declared with. Calendar units (year, quarter, month) step by calendar months. */
export type FrequencyName = 'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';

/**
 * A regular sampling frequency: `step` calendar months (`unit: 'month'`) or `step` milliseconds (`unit: 'ms'`).
 * `name` is the {@link FrequencyName} when the step matches one, else a description such as `"15 minutes"`.
 */
export interface Frequency {
  readonly unit: 'month' | 'ms';
  readonly step: number;
  readonly name: string;
}

const FIXED: Record<Exclude<FrequencyName, 'year' | 'quarter' | 'month'>, number> = {
  week: 7 * 86_400_000,
  day: 86_400_000,
  hour: 3_600_000,
  minute: 60_000,
  second: 1000,
};
const CALENDAR: Record<'year' | 'quarter' | 'month', number> = { year: 12, quarter: 3, month: 1 };

/** The {@link Frequency} of a name. */
export function frequencyOf(name: FrequencyName): Frequency {
  if (name in CALENDAR) return { unit: 'month', step: CALENDAR[name as keyof typeof CALENDAR], name };
  if (name in FIXED) return { unit: 'ms', step: FIXED[name as keyof typeof FIXED], name };
  throw new ArgumentError('frequency', `one of ${[...Object.keys(CALENDAR), ...Object.keys(FIXED)].join(', ')}`, String(name));
}

const monthIndex = (t: number): number => {
  const d = new Date(t);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};
const isMonthStart = (t: number): boolean => {
  const d = new Date(t);
  return d.getUTCDate() === 1 && t % 86_400_000 === 0;
};

/**
 * Infers the frequency from sorted timestamps: calendar months when every timestamp is the first of a month at
 * midnight UTC and the spacing is at least 28 days, otherwise the most common difference in milliseconds. Gaps
 * and stray steps are judged later against this frequency.
 */
export function inferFrequency(timestamps: ArrayLike<number>): Frequency {
  if (timestamps.length < 2) throw new ArgumentError('timestamps', 'at least 2 timestamps to infer a frequency', String(timestamps.length));
  let allMonthStarts = true;
  for (let i = 0; i < timestamps.length && allMonthStarts; i++) allMonthStarts = isMonthStart(timestamps[i]!);
  const counts = new Map<number, number>();
  for (let i = 1; i < timestamps.length; i++) {
    const d = allMonthStarts ? monthIndex(timestamps[i]!) - monthIndex(timestamps[i - 1]!) : timestamps[i]! - timestamps[i - 1]!;
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [d, c] of counts) if (c > bestCount || (c === bestCount && d < best)) [best, bestCount] = [d, c];
  if (best === 0) throw new ArgumentError('timestamps', 'increasing timestamps', 'no positive difference');
  if (allMonthStarts && best >= 1) {
    const name = best === 12 ? 'year' : best === 3 ? 'quarter' : best === 1 ? 'month' : `${best} months`;
    return { unit: 'month', step: best, name };
  }
  const named = Object.entries(FIXED).find(([, ms]) => ms === best);
  return { unit: 'ms', step: best, name: named ? named[0] : `${best} ms` };
}

/** Number of frequency steps from `from` to `to` (fractional when `to` is off the grid). */
export function stepsBetween(from: number, to: number, frequency: Frequency): number {
  if (frequency.unit === 'ms') return (to - from) / frequency.step;
  if (!isMonthStart(to) || !isMonthStart(from)) return Number.NaN;
  return (monthIndex(to) - monthIndex(from)) / frequency.step;
}

/** The timestamp `k` steps after `t`. */
export function addSteps(t: number, k: number, frequency: Frequency): number {
  if (frequency.unit === 'ms') return t + k * frequency.step;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k * frequency.step, 1);
}
