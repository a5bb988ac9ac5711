import { nativeAvailable, nativeInfo } from '@gated/cells';
import { describe, expect, it } from 'vitest';
import { machineInfo } from './run-compare.js';

describe('machineInfo', () => {
  it('records which recurrent kernels timed the run and on how many threads', async () => {
    const m = await machineInfo('wasm');
    if (nativeAvailable()) {
      expect(m.kernels).toEqual({ path: 'native', isa: nativeInfo().isa, threads: nativeInfo().threads });
    } else {
      expect(m.kernels?.path).toMatch(/^(wasm|tfjs)$/);
      expect(m.kernels?.threads).toBe(1);
    }
  });
});
