import { describe, expect, it } from 'vitest';
import { unitSaturation } from './saturation.js';

describe('unitSaturation', () => {
  it('counts, per unit, the share of steps below 0.1 and above 0.9 over every example', () => {
    // [batch 2, steps 2, units 3]: unit 0 always low, unit 1 always high, unit 2 once low, once high, twice mid.
    const values = Float32Array.from([0.05, 0.95, 0.05, 0, 1, 0.5, 0.09, 0.91, 0.95, 0.01, 0.99, 0.5]);
    expect(unitSaturation(values, 2, 2, 3)).toEqual([
      { left: 1, right: 0 },
      { left: 0, right: 1 },
      { left: 0.25, right: 0.25 },
    ]);
  });

  it('counts the thresholds themselves as unsaturated', () => {
    expect(unitSaturation(Float32Array.from([0.1, 0.9]), 1, 2, 1)).toEqual([{ left: 0, right: 0 }]);
  });

  it('rejects values whose count does not match the shape, naming both', () => {
    expect(() => unitSaturation(new Float32Array(5), 1, 2, 3)).toThrow(/expected 1·2·3 = 6 values, found 5/);
  });
});
