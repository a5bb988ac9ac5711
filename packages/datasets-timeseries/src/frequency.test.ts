import { describe, expect, it } from 'vitest';
import { addSteps, frequencyOf, inferFrequency, stepsBetween } from './frequency.js';
import { parseTimestamp } from './timestamp.js';

describe('parseTimestamp', () => {
  it('reads ISO dates and date-times as UTC, honouring an explicit offset', () => {
    expect(parseTimestamp('2020-03')).toBe(Date.UTC(2020, 2, 1));
    expect(parseTimestamp('2020-03-04T05:06:07.5')).toBe(Date.UTC(2020, 2, 4, 5, 6, 7, 500));
    expect(parseTimestamp('2020-03-04T05:06+02:00')).toBe(Date.UTC(2020, 2, 4, 3, 6));
    expect(parseTimestamp('1958-03-01')).toBe(Date.UTC(1958, 2, 1));
    expect(parseTimestamp('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
  });

  it('rejects impossible or non-ISO dates, and reads epochs when asked', () => {
    for (const bad of ['2023-02-29', '2020-13-01', '2020-01-01T24:00', '03/04/2020', 'yesterday', '']) expect(parseTimestamp(bad)).toBeUndefined();
    expect(parseTimestamp('1600000000', 'epoch-s')).toBe(1_600_000_000_000);
    expect(parseTimestamp('12x', 'epoch-ms')).toBeUndefined();
  });
});

describe('frequencies', () => {
  const months = (list: [number, number][]) => list.map(([y, m]) => Date.UTC(y, m - 1, 1));

  it('infers calendar months, quarters and years, and fixed steps by the most common difference', () => {
    expect(inferFrequency(months([[2020, 1], [2020, 2], [2020, 4], [2020, 5]])).name).toBe('month');
    expect(inferFrequency(months([[2020, 1], [2020, 4], [2020, 7]])).name).toBe('quarter');
    expect(inferFrequency(months([[2019, 1], [2020, 1], [2021, 1]])).name).toBe('year');
    expect(inferFrequency([0, 900_000, 1_800_000, 3_600_000])).toEqual({ unit: 'ms', step: 900_000, name: '900000 ms' });
  });

  it('counts calendar steps across months of different lengths', () => {
    const month = frequencyOf('month');
    expect(stepsBetween(Date.UTC(2020, 0, 1), Date.UTC(2021, 2, 1), month)).toBe(14);
    expect(stepsBetween(Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 15), month)).toBeNaN();
    expect(addSteps(Date.UTC(2020, 10, 1), 3, month)).toBe(Date.UTC(2021, 1, 1));
    expect(stepsBetween(0, 3 * 86_400_000, frequencyOf('day'))).toBe(3);
  });
});
