import { describe, expect, it } from 'vitest';
import { forecastWindows } from './forecast.js';

// Two windows of a univariate linear series: x_t = t (window 0: 0..3) and x_t = 10 + 2t (window 1: 10,12,14,16).
const inputs = Float32Array.from([0, 1, 2, 3, 10, 12, 14, 16]);
const shape = [2, 4, 1] as const;

describe('forecastWindows', () => {
  it('recursive: feeds each prediction back as the newest input', async () => {
    const seen: number[][] = [];
    // Linear extrapolation from the last two inputs: ŷ = 2·x_{T} − x_{T−1}.
    const predict = (x: Float32Array, [b, l]: readonly [number, number, number]) => {
      seen.push(Array.from(x));
      return Array.from({ length: b }, (_, i) => 2 * x[i * l + l - 1]! - x[i * l + l - 2]!);
    };
    const out = await forecastWindows(inputs, shape, { strategy: 'recursive', predict, horizon: 3, targetFeatures: [0] });
    expect(Array.from(out)).toEqual([4, 5, 6, 18, 20, 22]);
    expect(seen[1]).toEqual([1, 2, 3, 4, 12, 14, 16, 18]);
    expect(Array.from(inputs)).toEqual([0, 1, 2, 3, 10, 12, 14, 16]);
  });

  it('direct: one call returns every step, in batches', async () => {
    let calls = 0;
    const predict = async (x: Float32Array, [b, l]: readonly [number, number, number]) => {
      calls++;
      const out: number[] = [];
      for (let i = 0; i < b; i++) for (let k = 1; k <= 3; k++) out.push(x[i * l + l - 1]! + k);
      return out;
    };
    const out = await forecastWindows(inputs, shape, { strategy: 'direct', predict, horizon: 3, targetFeatures: [0], batchSize: 1 });
    expect(Array.from(out)).toEqual([4, 5, 6, 17, 18, 19]);
    expect(calls).toBe(2);
  });

  it('recursive with several inputs keeps the targets chosen among them', async () => {
    const x = Float32Array.from([1, 100, 2, 200]); // one window, 2 steps, features [a, b]
    const predict = (w: Float32Array) => [w[2]! + 1, w[3]! + 100];
    const out = await forecastWindows(x, [1, 2, 2], { strategy: 'recursive', predict, horizon: 2, targetFeatures: [1] });
    expect(Array.from(out)).toEqual([300, 400]);
  });

  it('rejects a predict returning the wrong number of values', async () => {
    await expect(forecastWindows(inputs, shape, { strategy: 'direct', predict: () => [1], horizon: 3, targetFeatures: [0] })).rejects.toThrow(/direct strategy/);
    await expect(forecastWindows(inputs, shape, { strategy: 'recursive', predict: () => [1], horizon: 3, targetFeatures: [0] })).rejects.toThrow(/recursive strategy/);
  });
});
