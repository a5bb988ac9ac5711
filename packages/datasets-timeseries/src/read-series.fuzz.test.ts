import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { SeriesFormatError } from './errors.js';
import { parseSeries, readSeries } from './read-series.js';
import type { SeriesOptions } from './series.js';
import { bytesNear, fuzzParameters, parsesOrThrowsTyped } from '../../../tools/test-utils/fuzz.js';

const daily = 'date,y,z\n2020-01-01,1,2\n2020-01-02,NA,3\n2020-01-03,3,4\n2020-01-05,5,6\n';
const monthly = 'year\tmonth\tvalue\n1990\t1\t0.5\n1990\t2\t0.7\n1990\t3\t\n1990\t4\t0.9\n';
const epoch = 't;v\n0;1\n60000;2\n120000;3\n';
const encode = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

const options: fc.Arbitrary<SeriesOptions> = fc.record(
  {
    missing: fc.constantFrom('error', 'ffill', 'interpolate', 'drop'),
    delimiter: fc.constantFrom(',', '\t', ';', 'auto'),
    frequency: fc.constantFrom('auto', 'day', 'month', 'minute'),
    timeFormat: fc.constantFrom('iso', 'epoch-ms', 'epoch-s'),
  },
  { requiredKeys: [] },
);
// CSV-shaped text: lines of cells drawn from timestamps, numbers, missing markers, quotes and junk.
const cell = fc.oneof(
  fc.constantFrom('2020-01-01', '2020-02-30', '1990-13-01', '', 'NA', 'nan', '"', '""', '"a,b"', '1e308', '-0', 'Infinity', '0x10'),
  fc.double().map(String),
  fc.integer().map(String),
  fc.string({ maxLength: 6 }),
);
const csv = fc
  .tuple(fc.constantFrom(',', '\t', ';'), fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([d, rows, nl]) => rows.map((r) => r.join(d)).join(nl));

const dir = mkdtempSync(join(tmpdir(), 'gated-ts-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describe('series parsing under fuzzing: a TimeSeries or a SeriesFormatError, within 2 s', () => {
  it('parseSeries on any text, mutations of valid files and CSV-shaped text, under any policy', async () => {
    const text = fc.oneof(fc.string({ maxLength: 300 }), bytesNear(encode(daily), encode(monthly), encode(epoch)).map(decode), csv);
    await fc.assert(
      fc.asyncProperty(text, options, (t, o) => parsesOrThrowsTyped(t, (s) => parseSeries(s, o), SeriesFormatError)),
      fuzzParameters(),
    );
  });

  it('readSeries on any bytes written to a file (invalid UTF-8 included)', async () => {
    await fc.assert(
      fc.asyncProperty(bytesNear(encode(daily), encode(monthly)), options, async (bytes, o) => {
        const path = join(dir, `f${n++}.csv`);
        writeFileSync(path, bytes);
        await parsesOrThrowsTyped(path, (p) => readSeries(p, o), SeriesFormatError);
      }),
      fuzzParameters(100),
    );
  });
});
