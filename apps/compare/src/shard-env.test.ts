import { describe, expect, it } from 'vitest';
import { compareOptionsFrom } from './commands/compare.js';
import { resolveShard } from './shard-env.js';

describe('shard from a Kubernetes Indexed Job', () => {
  it('takes JOB_COMPLETION_INDEX (0-based) as shard index + 1 of JOB_COMPLETIONS', () => {
    expect(resolveShard({}, { JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '4' })).toEqual({ index: 1, count: 4 });
    expect(resolveShard({}, { JOB_COMPLETION_INDEX: '3', JOB_COMPLETIONS: '4' })).toEqual({ index: 4, count: 4 });
    expect(resolveShard({ shards: '5' }, { JOB_COMPLETION_INDEX: '2' })).toEqual({ index: 3, count: 5 });
  });

  it('--shard wins over the environment; without either the whole grid runs', () => {
    expect(resolveShard({ shard: '2/3' }, { JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '4' })).toEqual({ index: 2, count: 3 });
    expect(resolveShard({}, {})).toBeNull();
  });

  it('refuses a misconfigured Job instead of running the wrong part of the grid', () => {
    expect(() => resolveShard({}, { JOB_COMPLETION_INDEX: '1' })).toThrow(/--shards: expected the shard count \(or JOB_COMPLETIONS in the environment\) since JOB_COMPLETION_INDEX=1 is set/);
    expect(() => resolveShard({}, { JOB_COMPLETION_INDEX: '4', JOB_COMPLETIONS: '4' })).toThrow(/JOB_COMPLETION_INDEX: expected an integer in \[0, 3\], got "4"/);
    expect(() => resolveShard({ shards: '3' }, { JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '4' })).toThrow(/--shards: expected the same count as JOB_COMPLETIONS=4, got 3/);
    expect(() => resolveShard({ shards: '3' }, {})).toThrow(/--shards only with JOB_COMPLETION_INDEX set/);
    expect(() => resolveShard({}, { JOB_COMPLETION_INDEX: 'x', JOB_COMPLETIONS: '2' })).toThrow(/JOB_COMPLETION_INDEX/);
  });

  it('gated compare reads it, and --workers defaults to the number of cores', () => {
    const options = compareOptionsFrom({ quick: true }, { JOB_COMPLETION_INDEX: '1', JOB_COMPLETIONS: '2' });
    expect(options.shard).toEqual({ index: 2, count: 2 });
    expect(options.workers).toBeGreaterThanOrEqual(1);
    expect(compareOptionsFrom({ workers: '3' }, {}).workers).toBe(3);
    expect(() => compareOptionsFrom({ workers: '0' }, {})).toThrow(/--workers: expected an integer in \[1, 1024\], got "0"/);
  });
});
