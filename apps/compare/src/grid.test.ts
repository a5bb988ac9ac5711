import { describe, expect, it } from 'vitest';
import { TASK_IDS, buildGrid, parseShard, shardGrid, unitKey } from './grid.js';

describe('grid and shards', () => {
  const grid = buildGrid([...TASK_IDS], ['lstm', 'gru', 'rnn']);

  it('has every model at equal hidden size plus the widened GRU, per task', () => {
    expect(grid).toHaveLength(TASK_IDS.length * 4);
    expect(grid.slice(0, 4).map(unitKey)).toEqual([
      'text-lm/lstm/equal-hidden',
      'text-lm/gru/equal-hidden',
      'text-lm/gru/equal-params',
      'text-lm/rnn/equal-hidden',
    ]);
  });

  it.each([1, 2, 3, 7, 20, 25])('%i shards partition the grid: every unit exactly once', (n) => {
    const seen = Array.from({ length: n }, (_, k) => shardGrid(grid, { index: k + 1, count: n })).flat().map(unitKey);
    expect(seen.sort()).toEqual(grid.map(unitKey).sort());
  });

  it('a shard is the same whatever order the grid came in', () => {
    const reversed = [...grid].reverse();
    expect(shardGrid(reversed, { index: 2, count: 3 })).toEqual(shardGrid(grid, { index: 2, count: 3 }));
  });

  it('rejects malformed shards with the expected form', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/k\/n/);
  });

  it('leaves out the equal-params unit when the GRU is not compared', () => {
    expect(buildGrid(['memory-adding'], ['lstm', 'rnn']).map(unitKey)).toEqual(['memory-adding/lstm/equal-hidden', 'memory-adding/rnn/equal-hidden']);
  });
});
