import { describe, expect, it } from 'vitest';
import { buildGrid, shardGrid, unitKey } from './grid.js';
import { mergeResults } from './merge.js';
import type { ResultsFile } from './results.js';
import { syntheticEntry, syntheticResults } from './test-utils/synthetic-results.js';

const TASKS = ['text-classify', 'speech-digits', 'memory-adding'] as const;

function shards(n: number): { file: string; results: ResultsFile }[] {
  const grid = buildGrid(TASKS, ['lstm', 'gru', 'rnn']);
  return Array.from({ length: n }, (_, k) => {
    const shard = { index: k + 1, count: n };
    const results = syntheticResults(TASKS, { shard, units: shardGrid(grid, shard) });
    // Only one shard runs the gradient-flow probe in a real sharded run.
    return { file: `shard-${k + 1}/results.json`, results: k === 0 ? results : { ...results, gradientFlow: [] } };
  });
}

describe('merge', () => {
  it('merging the shards of a grid gives the unsharded runs and verdicts', () => {
    const merged = mergeResults(shards(3));
    const whole = syntheticResults(TASKS);
    expect(merged.runs.map(unitKey)).toEqual(whole.runs.map(unitKey));
    expect(merged.runs).toEqual(whole.runs);
    expect(merged.verdicts).toEqual(whole.verdicts);
    expect(merged.config.shard).toBeNull();
    expect(merged.gradientFlow).toHaveLength(3);
  });

  it('is deterministic: the order of the inputs does not matter', () => {
    const parts = shards(4);
    const a = JSON.stringify(mergeResults(parts));
    const b = JSON.stringify(mergeResults([parts[2]!, parts[0]!, parts[3]!, parts[1]!]));
    expect(b).toBe(a);
  });

  it('refuses two different results for the same unit, naming it', () => {
    const a = syntheticResults(['memory-adding']);
    const changed = syntheticEntry({ task: 'memory-adding', model: 'gru', sizing: 'equal-hidden' }, { stepMs: [1, 2, 3], metric: [0.1, 0.2, 0.3] });
    const b = { ...a, runs: a.runs.map((r) => (unitKey(r) === unitKey(changed) ? changed : r)) };
    expect(() => mergeResults([{ file: 'a', results: a }, { file: 'b', results: b }])).toThrow(/memory-adding\/gru\/equal-hidden/);
  });

  it('a unit that failed in one run and succeeded in another is kept as a success', () => {
    const ok = syntheticResults(['memory-adding']);
    const failed: ResultsFile = {
      ...ok,
      runs: [],
      failures: [{ task: 'memory-adding', model: 'gru', sizing: 'equal-hidden', code: 'GATED_X', message: 'boom' }],
    };
    const merged = mergeResults([{ file: 'f', results: failed }, { file: 'o', results: ok }]);
    expect(merged.failures).toEqual([]);
    expect(merged.runs).toHaveLength(ok.runs.length);
  });
});
