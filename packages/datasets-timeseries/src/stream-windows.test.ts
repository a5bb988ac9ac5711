import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForecastingTask } from './forecasting-task.js';
import { readSeries } from './read-series.js';
import { fitTransformStream, streamWindows } from './stream-windows.js';

let dir = '';
let path = '';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  dir = await mkdtemp(join(tmpdir(), 'gated-ts-stream-'));
  path = join(dir, 'sensor.csv');
  // 6,000 hourly rows (≈ 200 KB, several read chunks), two sensors, one missing cell and one missing hour.
  const lines = ['time,temp,load'];
  for (let i = 0; i < 6000; i++) {
    if (i === 4100) continue;
    const t = new Date(Date.UTC(2021, 0, 1) + i * 3_600_000).toISOString();
    const temp = (15 + 8 * Math.sin((2 * Math.PI * i) / 24) + 0.001 * i).toFixed(3);
    const load = i === 2000 ? '' : (50 + 20 * Math.cos((2 * Math.PI * i) / 168) + ((i * 7919) % 13)).toFixed(3);
    lines.push(`${t},${temp},${load}`);
  }
  await writeFile(path, `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const collect = async (dataset: AsyncIterable<{ x: tf.Tensor; y: tf.Tensor }>) => {
  const x: number[] = [];
  const y: number[] = [];
  let batches = 0;
  for await (const batch of dataset) {
    x.push(...(await batch.x.data()));
    y.push(...(await batch.y.data()));
    tf.dispose([batch.x, batch.y]);
    batches++;
  }
  return { x, y, batches };
};

describe('fitTransformStream', () => {
  it('refuses a call without `until` (every row would be fitted, leaking the held-out range)', async () => {
    const options = { missing: 'interpolate' } as unknown as Parameters<typeof fitTransformStream>[1];
    await expect(fitTransformStream(path, options)).rejects.toMatchObject({ code: 'GATED_BAD_ARGUMENT', details: { argument: 'until' } });
  });
});

describe('streamWindows', () => {
  const spec = { inputLength: 48, horizon: 6, stride: 5, samplingRate: 2 };

  it('yields exactly the in-memory windows of a split, with a transform fit in one streaming pass', async () => {
    const series = await readSeries(path, { missing: 'interpolate' });
    const split = { validationStart: '2021-05-01', testStart: '2021-07-01' };
    const task = createForecastingTask(series, { ...spec, period: 24, targetColumns: ['temp', 'load'], split, transform: { difference: 2, log: ['load'] }, shuffle: false, batchSize: 7 });

    const streamed = await fitTransformStream(path, { missing: 'interpolate', until: split.validationStart, difference: 2, log: ['load'] });
    expect(streamed.fitRange).toEqual(task.splits.train);
    for (let c = 0; c < 2; c++) {
      expect(streamed.center[c]).toBeCloseTo(task.transform.center[c]!, 10);
      expect(streamed.scaleBy[c]).toBeCloseTo(task.transform.scaleBy[c]!, 10);
    }

    const before = tf.memory().numTensors;
    const viaStream = await collect(
      streamWindows(path, { ...spec, missing: 'interpolate', targetColumns: ['temp', 'load'], transform: streamed, targetsFrom: split.testStart, batchSize: 7 }),
    );
    const inMemory = await collect(task.test);
    expect(tf.memory().numTensors).toBe(before);
    expect(viaStream.batches).toBe(task.test.size);
    expect(viaStream.x.length).toBe(inMemory.x.length);
    for (let i = 0; i < inMemory.x.length; i++) expect(viaStream.x[i]!).toBeCloseTo(inMemory.x[i]!, 4);
    for (let i = 0; i < inMemory.y.length; i++) expect(viaStream.y[i]!).toBeCloseTo(inMemory.y[i]!, 4);
  });

  it("under the 'drop' policy, skips the windows spanning a dropped row or hour, as in memory", async () => {
    const series = await readSeries(path, { missing: 'drop' });
    expect(series.breaks.length).toBe(2);
    const split = { validationStart: '2021-07-01', testStart: '2021-08-01' }; // both breaks in training
    const geometry = { inputLength: 24, horizon: 3 };
    const task = createForecastingTask(series, { ...geometry, period: 24, split, transform: { scale: 'none' }, shuffle: false, batchSize: 64 });
    const inMemory = await collect(task.train);
    const viaStream = await collect(streamWindows(path, { ...geometry, missing: 'drop', targetsBefore: split.validationStart, batchSize: 64 }));
    expect(viaStream.y.length).toBe(3 * (task.train.windows));
    // Training rows [0, 4342) in segments [0, 2000), [2000, 4099), [4099, 4342); a window spans 27 rows.
    expect(series.breaks).toEqual([2000, 4099]);
    expect(task.train.windows).toBe(2000 - 26 + (2099 - 26) + (243 - 26));
    expect(viaStream.y).toEqual(inMemory.y);
    expect(viaStream.x).toEqual(inMemory.x);
  });

  it('restricts targets to [targetsFrom, targetsBefore) and applies the missing policy while streaming', async () => {
    const ds = streamWindows(path, { inputLength: 4, horizon: 2, missing: 'ffill', targetsFrom: '2021-06-01', targetsBefore: '2021-06-02', batchSize: 100 });
    const { y, batches } = await collect(ds);
    expect(batches).toBe(1);
    expect(y.length).toBe(2 * 23); // windows whose two targets lie inside 2021-06-01: first targets 00:00 … 22:00
    await expect(collect(streamWindows(path, { inputLength: 4, horizon: 2 }))).rejects.toMatchObject({ code: 'GATED_TS_MISSING_VALUE', details: { row: 2002, column: 'load' } });
  });
});
