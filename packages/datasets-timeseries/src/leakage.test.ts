import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LeakageError } from './errors.js';
import { createForecastingTask, type ForecastingTask } from './forecasting-task.js';
import { auditTransform, fitTransform } from './transform.js';
import { auditWindows, gatherWindows, windowAnchors } from './windows.js';
import type { WindowDataset } from './window-dataset.js';
import { syntheticSeries, withFuture } from './test-utils/synthetic.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const collect = async (dataset: WindowDataset): Promise<{ x: number[]; y: number[] }> => {
  const x: number[] = [];
  const y: number[] = [];
  for await (const batch of dataset) {
    x.push(...(await batch.x.data()));
    y.push(...(await batch.y.data()));
    batch.x.dispose();
    batch.y.dispose();
  }
  return { x, y };
};

const options = {
  inputLength: 12,
  horizon: 5,
  period: 7,
  inputColumns: ['c0', 'c1'],
  targetColumns: ['c1'],
  split: { validation: 0.2, test: 0.2 },
  transform: { scale: 'standard' as const, log: true, difference: 1 },
  shuffle: false,
};

// The leakage test: change the future and check the past's view of it is unchanged. A scaler fit on all rows, or a
// training window reaching a validation row, or a test window reading a target row as input, changes what is compared.
describe('no leakage from validation/test into earlier data', () => {
  const series = syntheticSeries(300, 2);
  const base = createForecastingTask(series, options);
  const { validation, test } = base.splits;

  const check = async (changed: ForecastingTask, same: readonly ('train' | 'validation')[]) => {
    for (const split of same) expect(await collect(changed[split])).toEqual(await collect(base[split]));
  };

  it('the transform and every training window ignore validation and test values', async () => {
    const changed = createForecastingTask(withFuture(series, validation.start, 1e6), options);
    expect(Array.from(changed.transform.center)).toEqual(Array.from(base.transform.center));
    expect(Array.from(changed.transform.scaleBy)).toEqual(Array.from(base.transform.scaleBy));
    expect(changed.maseScale).toEqual(base.maseScale);
    await check(changed, ['train']);
  });

  it('validation windows ignore test values; test windows read only rows before their targets', async () => {
    const changed = createForecastingTask(withFuture(series, test.start, 1e6), options);
    await check(changed, ['train', 'validation']);
    expect(Array.from(changed.windows.validation.inputs)).toEqual(Array.from(base.windows.validation.inputs));
    // The first test window forecasts the first test row: its inputs are all earlier rows, unchanged.
    const first = base.windows.test.inputShape[1] * base.windows.test.inputShape[2];
    expect(Array.from(changed.windows.test.inputs.subarray(0, first))).toEqual(Array.from(base.windows.test.inputs.subarray(0, first)));
    expect(changed.windows.test.targets[0]).toBe(1e6);
    // Baselines forecast from the past only: the first test window's baseline forecasts are unchanged.
    for (const name of ['naive', 'seasonalNaive', 'drift', 'movingAverage'] as const) {
      expect(Array.from(changed.baselines[name].forecast.subarray(0, 5))).toEqual(Array.from(base.baselines[name].forecast.subarray(0, 5)));
    }
  });

  it('the check has teeth: a scaler fit on all rows, or a training window one step later, sees the change', () => {
    const changed = withFuture(series, validation.start, 1e6);
    const fitAll = (s: typeof series) => fitTransform(s, { start: 0, end: s.length }, options.transform);
    expect(Array.from(fitAll(changed).center)).not.toEqual(Array.from(fitAll(series).center));
    expect(() => auditTransform(fitAll(series), base.splits.train)).toThrow(LeakageError);
    const spec = { inputLength: options.inputLength, horizon: options.horizon };
    const late = windowAnchors(series, base.splits, 'train', spec).map((a) => a + 1);
    const gather = (s: typeof series) => gatherWindows(s.values, 2, late, { inputLength: 12, samplingRate: 1, steps: 5 }, [0, 1], [1]).y;
    expect(Array.from(gather(changed))).not.toEqual(Array.from(gather(series)));
    expect(() => auditWindows(late, 'train', base.splits, spec)).toThrow(LeakageError);
  });

  it('leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    await collect(base.train);
    await collect(base.test);
    expect(tf.memory().numTensors).toBe(before);
  });
});
