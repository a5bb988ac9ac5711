import { describe, expect, it } from 'vitest';
import { TASKS } from '../tasks/registry.js';
import { parseKeep } from './train-task-model.js';

describe('--keep of gated train and gated export', () => {
  it("defaults to what the comparison does with the task's budget", () => {
    expect(parseKeep(undefined, TASKS['timeseries-co2'].budgets.default)).toBe('best');
    expect(parseKeep(undefined, TASKS['timeseries-co2'].budgets.quick)).toBe('last');
    expect(parseKeep(undefined, TASKS['text-lm'].budgets.default)).toBe('last');
  });

  it('takes last or best, and names the flag and the choices otherwise', () => {
    expect(parseKeep('last', { bestCheckpoint: 'validation' })).toBe('last');
    expect(parseKeep('best', {})).toBe('best');
    expect(() => parseKeep('bets', {})).toThrow(/--keep.*last or best.*bets/);
  });
});
