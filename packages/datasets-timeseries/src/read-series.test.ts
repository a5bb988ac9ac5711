import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeriesFormatError } from './errors.js';
import { parseSeries, readSeries } from './read-series.js';
import type { SeriesOptions } from './series.js';

const fail = (text: string, options: SeriesOptions = {}): SeriesFormatError => {
  try {
    parseSeries(text, options, 'data.csv');
  } catch (error) {
    if (error instanceof SeriesFormatError) return error;
    throw error;
  }
  throw new Error('expected a SeriesFormatError');
};

describe('parseSeries', () => {
  it('reads a daily CSV with chosen value columns in the given order', () => {
    const s = parseSeries('date,a,b,label\n2020-01-01,1,10,x\n2020-01-02,2.5,20,y\n2020-01-03,-3e1,30,z\n', { valueColumns: ['b', 'a'] });
    expect(s.columns).toEqual(['b', 'a']);
    expect(s.length).toBe(3);
    expect(Array.from(s.values)).toEqual([10, 1, 20, 2.5, 30, -30]);
    expect(s.timestamps[0]).toBe(Date.UTC(2020, 0, 1));
    expect(s.frequency).toEqual({ unit: 'ms', step: 86_400_000, name: 'day' });
    expect(s.breaks).toEqual([]);
  });

  it('reads TSV, infers calendar months and hourly steps', () => {
    const monthly = parseSeries('t\tv\n2019-11-01\t1\n2019-12-01\t2\n2020-01-01\t3\n2020-02-01\t4\n', { delimiter: '\t' });
    expect(monthly.frequency).toEqual({ unit: 'month', step: 1, name: 'month' });
    const hourly = parseSeries('t,v\n2020-01-01T00:00Z,1\n2020-01-01 01:00,2\n2020-01-01T03:00:00+01:00,3\n');
    expect(hourly.frequency.name).toBe('hour');
    expect(hourly.length).toBe(3);
  });

  it('builds timestamps from year/month/day columns', () => {
    const s = parseSeries('year,month,day,n\n1969,1,31,5\n1969,2,1,6\n', { timeColumn: { year: 'year', month: 'month', day: 'day' } });
    expect(Array.from(s.timestamps)).toEqual([Date.UTC(1969, 0, 31), Date.UTC(1969, 1, 1)]);
    expect(s.columns).toEqual(['n']);
  });

  it('rejects an empty file and a header without rows', () => {
    expect(fail('').code).toBe('GATED_TS_EMPTY');
    const e = fail('date,v\n');
    expect(e.code).toBe('GATED_TS_EMPTY');
    expect(e.details.row).toBe(2);
  });

  it('names the row and column of a non-numeric cell', () => {
    const e = fail('date,v,w\n2020-01-01,1,2\n2020-01-02,1,abc\n');
    expect(e.code).toBe('GATED_TS_NOT_NUMERIC');
    expect(e.details).toMatchObject({ file: 'data.csv', row: 3, column: 'w', actual: '"abc"' });
    expect(e.message).toContain('data.csv, row 3, column "w"');
  });

  it('rejects duplicate, unsorted, invalid and off-grid timestamps, naming the row', () => {
    expect(fail('d,v\n2020-01-01,1\n2020-01-02,2\n2020-01-02,3\n')).toMatchObject({ code: 'GATED_TS_DUPLICATE_TIMESTAMP', details: { row: 4, column: 'd' } });
    expect(fail('d,v\n2020-01-01,1\n2020-01-03,2\n2020-01-02,3\n', { frequency: 'day', missing: 'ffill' })).toMatchObject({ code: 'GATED_TS_UNSORTED', details: { row: 4 } });
    expect(fail('d,v\n2020-01-01,1\n2020-02-30,2\n')).toMatchObject({ code: 'GATED_TS_BAD_TIMESTAMP', details: { row: 3, column: 'd' } });
    expect(fail('d,v\n2020-01-01T00:00Z,1\n2020-01-01T01:00Z,2\n2020-01-01T02:30Z,3\n2020-01-01T03:30Z,4\n')).toMatchObject({ code: 'GATED_TS_IRREGULAR', details: { row: 4 } });
  });

  it('rejects ragged rows and unknown columns', () => {
    expect(fail('d,v\n2020-01-01,1,9\n')).toMatchObject({ code: 'GATED_TS_RAGGED_ROW', details: { row: 2 } });
    expect(fail('d,v\n2020-01-01,1\n', { valueColumns: ['x'] })).toMatchObject({ code: 'GATED_TS_MISSING_COLUMN', details: { column: 'x' } });
  });

  const gappy = 'd,a,b\n2020-01-01,1,10\n2020-01-02,,20\n2020-01-03,3,\n2020-01-05,5,50\n2020-01-06,6,60\n';

  it("errors on a missing value or a gap under the default 'error' policy", () => {
    expect(fail(gappy, { frequency: 'day' })).toMatchObject({ code: 'GATED_TS_MISSING_VALUE', details: { row: 3, column: 'a' } });
    expect(fail('d,a\n2020-01-01,1\n2020-01-02,2\n2020-01-04,4\n')).toMatchObject({ code: 'GATED_TS_GAP', details: { row: 4 } });
  });

  it('forward-fills cells and gaps with the last observation', () => {
    const s = parseSeries(gappy, { missing: 'ffill', frequency: 'day' });
    expect(s.length).toBe(6);
    expect(Array.from(s.values)).toEqual([1, 10, 1, 20, 3, 20, 3, 20, 5, 50, 6, 60]);
    expect(s.imputed).toEqual([1, 2, 3]);
    expect(s.timestamps[3]).toBe(Date.UTC(2020, 0, 4));
  });

  it('interpolates linearly in time across cells and gaps', () => {
    const s = parseSeries(gappy, { missing: 'interpolate', frequency: 'day' });
    // a: 1, (2), 3, (4), 5, 6; b: 10, 20, (30), (40), 50, 60
    expect(Array.from(s.values)).toEqual([1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60]);
    expect(s.imputed).toEqual([1, 2, 3]);
  });

  it('drops incomplete rows and records breaks where the grid is interrupted', () => {
    const s = parseSeries(gappy, { missing: 'drop', frequency: 'day' });
    expect(Array.from(s.values)).toEqual([1, 10, 5, 50, 6, 60]);
    expect(s.breaks).toEqual([1]);
  });

  it('cannot fill a leading or trailing missing value and says so', () => {
    expect(fail('d,a\n2020-01-01,\n2020-01-02,2\n', { missing: 'ffill' })).toMatchObject({ code: 'GATED_TS_MISSING_VALUE', details: { row: 2 } });
    expect(fail('d,a\n2020-01-01,1\n2020-01-02,2\n2020-01-03,\n', { missing: 'interpolate' })).toMatchObject({ code: 'GATED_TS_MISSING_VALUE', details: { row: 4 } });
  });
});

describe('readSeries', () => {
  it('reads a file the same as parsing its text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gated-ts-'));
    try {
      const lines = ['time,v'];
      for (let i = 0; i < 500; i++) lines.push(`${new Date(Date.UTC(2000, 0, 1) + i * 3_600_000).toISOString()},${(i * 0.37).toFixed(2)}`);
      const path = join(dir, 'hourly.csv');
      await writeFile(path, lines.join('\n'));
      const fromFile = await readSeries(path);
      const fromText = parseSeries(lines.join('\n'));
      expect(fromFile.length).toBe(500);
      expect(fromFile.source).toBe('hourly.csv');
      expect(Array.from(fromFile.values)).toEqual(Array.from(fromText.values));
      expect(fromFile.frequency.name).toBe('hour');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
