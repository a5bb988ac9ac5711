import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { paperOptionsFrom, parsePaperTasks, parseSuite } from './paper-command.js';

describe('gated compare --suite paper options', () => {
  it('defaults to the default suite and rejects unknown suites with the valid ones', () => {
    expect(parseSuite(undefined)).toBe('default');
    expect(parseSuite('paper')).toBe('paper');
    expect(() => parseSuite('papers')).toThrow(UsageError);
    expect(() => parseSuite('papers')).toThrow(/default, paper/);
  });

  it('takes the paper tasks in report order and rejects default-suite-only tasks', () => {
    // The G2P tasks (hours per run at the papers' size) run only when named.
    expect(parsePaperTasks(undefined)).toEqual(['music-jsb', 'memory-adding', 'memory-copy']);
    expect(parsePaperTasks('text-g2p-plain,text-g2p')).toEqual(['text-g2p', 'text-g2p-plain']);
    expect(parsePaperTasks('memory-copy,music-jsb')).toEqual(['music-jsb', 'memory-copy']);
    expect(() => parsePaperTasks('text-lm')).toThrow(/tasks of the paper suite/);
  });

  it('runs 5 seeds by default (1 with --quick) and takes --shard like the default suite', () => {
    expect(paperOptionsFrom({ out: 'x' }).seeds).toBe(5);
    expect(paperOptionsFrom({ out: 'x', quick: true }).seeds).toBe(1);
    expect(paperOptionsFrom({}).out).toMatch(/results\/paper-/);
    expect(paperOptionsFrom({ shard: '1/2' }, {}).shard).toEqual({ index: 1, count: 2 });
    expect(() => paperOptionsFrom({ shard: '3/2' }, {})).toThrow(/k\/n/);
  });
});
