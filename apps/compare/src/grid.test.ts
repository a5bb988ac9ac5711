import { describe, expect, it } from 'vitest';
import { DEFAULT_TASKS, G2P_TASK_IDS, HORIZON_TASK_IDS, TASK_IDS, buildGrid, parseShard, shardGrid, unitKey } from './grid.js';

describe('grid and shards', () => {
  const grid = buildGrid([...TASK_IDS], ['lstm', 'gru', 'rnn']);

  it('has every model at equal hidden size plus the widened and the equal-compute GRU, per task; the sweep at equal hidden size only', () => {
    expect(grid).toHaveLength((TASK_IDS.length - HORIZON_TASK_IDS.length - G2P_TASK_IDS.length) * 5 + HORIZON_TASK_IDS.length * 3 + G2P_TASK_IDS.length * 2);
    expect(grid.slice(0, 5).map(unitKey)).toEqual([
      'text-lm/lstm/equal-hidden',
      'text-lm/gru/equal-hidden',
      'text-lm/gru/equal-params',
      'text-lm/gru/equal-compute',
      'text-lm/rnn/equal-hidden',
    ]);
    expect(grid.filter((u) => u.task === 'memory-adding-t400').map(unitKey)).toEqual([
      'memory-adding-t400/lstm/equal-hidden',
      'memory-adding-t400/gru/equal-hidden',
      'memory-adding-t400/rnn/equal-hidden',
    ]);
  });

  it('the G2P encoder–decoders compare LSTM and GRU at equal hidden size only (no plain-RNN decoder)', () => {
    expect(grid.filter((u) => G2P_TASK_IDS.includes(u.task as never)).map(unitKey)).toEqual([
      'text-g2p/lstm/equal-hidden',
      'text-g2p/gru/equal-hidden',
      'text-g2p-plain/lstm/equal-hidden',
      'text-g2p-plain/gru/equal-hidden',
    ]);
    expect(buildGrid(['text-g2p'], ['rnn'])).toEqual([]);
  });

  it('the default suite replaces the single-length adding problem by the sweep and has both G2P tasks', () => {
    expect(DEFAULT_TASKS).toEqual(['text-lm', 'text-classify', 'text-g2p', 'text-g2p-plain', 'speech-digits', 'speech-ctc', 'timeseries-co2', ...HORIZON_TASK_IDS]);
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

  it('leaves out the equal-params and equal-compute units when the GRU is not compared', () => {
    expect(buildGrid(['memory-adding'], ['lstm', 'rnn']).map(unitKey)).toEqual(['memory-adding/lstm/equal-hidden', 'memory-adding/rnn/equal-hidden']);
  });
});
