import { ArgumentError } from '@gated/tensor';

/** How the time column is written: ISO 8601 dates/date-times (UTC unless an offset is given) or Unix epochs. */
export type TimeFormat = 'iso' | 'epoch-ms' | 'epoch-s';

const ISO = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const EPOCH = /^[+-]?\d+(\.\d+)?$/;

/**
 * Parses one timestamp to milliseconds since the Unix epoch, or returns `undefined` when the text is not a valid
 * timestamp. ISO forms: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DD[T ]hh:mm[:ss[.fff]]` with an optional `Z` or
 * `±hh:mm`; without an offset the time is read as UTC (never the machine's local zone). Calendar fields are
 * checked (no 2021-02-30).
 */
export function parseTimestamp(text: string, format: TimeFormat = 'iso'): number | undefined {
  const s = text.trim();
  if (format !== 'iso') {
    if (!EPOCH.test(s)) return undefined;
    const v = Number(s);
    return format === 'epoch-s' ? v * 1000 : v;
  }
  const m = ISO.exec(s);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.round(Number(`0.${m[7]}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (year < 100) t = new Date(t).setUTCFullYear(year);
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in a (1-based) month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month === 2) return leap ? 29 : 28;
  const days = DAYS_IN_MONTH[month - 1];
  if (days === undefined) throw new ArgumentError('month', 'a month in 1..12', String(month));
  return days;
}

/** Formats a timestamp (ms since epoch) as an ISO date, or date-time when it has a time of day. */
export function formatTimestamp(t: number): string {
  const iso = new Date(t).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}
