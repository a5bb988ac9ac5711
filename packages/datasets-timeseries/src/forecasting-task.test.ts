import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createForecastingTask } from './forecasting-task.js';
import { syntheticSeries } from './test-utils/synthetic.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('createForecastingTask', () => {
  const series = syntheticSeries(200, 3);

  it('direct: x [B, T, inputs], y [B, horizon · targets] float32, batches covering every window', async () => {
    const task = createForecastingTask(series, { inputLength: 14, horizon: 4, period: 7, targetColumns: ['c0', 'c2'], batchSize: 16 });
    let windows = 0;
    let batches = 0;
    const before = tf.memory().numTensors;
    for await (const { x, y } of task.train) {
      expect(x.shape.slice(1)).toEqual([14, 3]);
      expect(y.shape).toEqual([x.shape[0], 8]);
      expect(x.dtype).toBe('float32');
      windows += x.shape[0]!;
      batches++;
      x.dispose();
      y.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(batches).toBe(task.train.size);
    expect(windows).toBe(task.train.windows);
    expect(task.windows.test.targets.length).toBe(task.windows.test.anchors.length * 8);
  });

  it('shuffles training windows per epoch with a seed, reproducibly', async () => {
    const firstY = async (seed: number) => {
      const task = createForecastingTask(series, { inputLength: 7, horizon: 2, period: 7, seed, batchSize: 8 });
      const epochs: number[][] = [];
      for (let e = 0; e < 2; e++) {
        for await (const { x, y } of task.train) {
          epochs.push(Array.from(await y.data()));
          x.dispose();
          y.dispose();
          break;
        }
      }
      return epochs;
    };
    const a = await firstY(1);
    expect(await firstY(1)).toEqual(a);
    expect(a[0]).not.toEqual(a[1]);
    expect(await firstY(2)).not.toEqual(a);
  });

  it('a perfect forecast scores 0 and the baselines are scored on the same windows', () => {
    const task = createForecastingTask(series, { inputLength: 14, horizon: 4, period: 7 });
    const m = task.evaluate(task.windows.test.targets);
    expect(m).toMatchObject({ mae: 0, rmse: 0, mase: 0, smape: 0, period: 7 });
    for (const b of Object.values(task.baselines)) {
      expect(b.forecast.length).toBe(task.windows.test.targets.length);
      expect(b.metrics.count).toBe(task.windows.test.targets.length);
      expect(b.metrics.mase).toBeGreaterThan(0);
    }
    expect(() => task.evaluate([1, 2, 3])).toThrow(/windows, horizon/);
  });

  it('direct forecast through predict and the inverse transform recovers original units', async () => {
    const task = createForecastingTask(series, { inputLength: 14, horizon: 4, period: 7, transform: { log: true, difference: 7, scale: 'minmax' } });
    const w = task.windows.test;
    let offset = 0;
    // An oracle that returns the scaled truth: after inversion it must equal the targets.
    const result = await task.forecast((_x, [b]) => {
      const out = w.targetsScaled.subarray(offset, offset + b * 4);
      offset += b * 4;
      return out;
    }, { batchSize: 5 });
    for (let i = 0; i < w.targets.length; i++) expect(result.original[i]!).toBeCloseTo(w.targets[i]!, 2);
    expect(result.metrics.mase).toBeLessThan(1e-3);
  });

  it('recursive: datasets hold one-step targets for every input; forecasts chain through differencing', async () => {
    // A straight line: first differences are constant, so "predict a scaled difference of 0" is exact.
    const line = syntheticSeries(120, 2);
    const values = Float64Array.from(line.values, (_, i) => 5 + 0.5 * Math.floor(i / 2) + (i % 2) * 3);
    const task = createForecastingTask({ ...line, values }, { inputLength: 6, horizon: 5, period: 7, strategy: 'recursive', targetColumns: ['c1'], transform: { difference: 1 } });
    for await (const { x, y } of task.validation) {
      expect(x.shape.slice(1)).toEqual([6, 2]);
      expect(y.shape.slice(1)).toEqual([2]);
      x.dispose();
      y.dispose();
    }
    const calls: number[] = [];
    const result = await task.forecast((_x, [b, , f]) => {
      calls.push(b);
      return new Float32Array(b * f);
    });
    expect(calls.length).toBe(5);
    expect(result.metrics.mae).toBeLessThan(1e-9);
    expect(result.original.length).toBe(task.windows.test.anchors.length * 5);
  });

  it('sampling rate: inputs and targets every r rows', () => {
    const task = createForecastingTask(series, { inputLength: 3, horizon: 2, samplingRate: 7, period: 7, transform: { scale: 'none' } });
    const w = task.windows.test;
    const a = w.anchors[0]!;
    expect(Array.from(w.inputsOriginal.subarray(0, 9))).toEqual(Array.from(series.values.subarray((a - 14) * 3, (a - 13) * 3)).concat(Array.from(series.values.subarray((a - 7) * 3, (a - 6) * 3)), Array.from(series.values.subarray(a * 3, (a + 1) * 3))));
    expect(w.targets[1]).toBe(series.values[(a + 14) * 3]);
    expect(() => createForecastingTask(series, { inputLength: 3, horizon: 2, samplingRate: 2, period: 7, transform: { difference: 1 } })).toThrow(/multiple of samplingRate/);
  });

  it('allows an empty validation range but not an empty test range', () => {
    const task = createForecastingTask(series, { inputLength: 7, horizon: 2, period: 7, split: { validation: 0, test: 0.2 } });
    expect(task.validation.size).toBe(0);
    expect(task.windows.validation.anchors.length).toBe(0);
    expect(() => createForecastingTask(series, { inputLength: 7, horizon: 50, period: 7, split: { validation: 0.1, test: 0.1 } })).toThrow(/test windows/);
  });

  it('rejects targets outside the inputs and unknown strategies', () => {
    expect(() => createForecastingTask(series, { inputLength: 3, horizon: 2, period: 7, inputColumns: ['c0'], targetColumns: ['c1'] })).toThrow(/targetColumns/);
    expect(() => createForecastingTask(series, { inputLength: 3, horizon: 2, period: 7, strategy: 'seq2seq' as 'direct' })).toThrow(/strategy/);
  });
});
