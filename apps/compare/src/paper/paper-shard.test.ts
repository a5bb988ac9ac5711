import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { paperOptionsFrom } from './paper-command.js';
import { mergePaperResults } from './paper-merge.js';
import type { PaperEntry, PaperResultsFile } from './paper-results.js';
import { paperUnits, shardPaperUnits } from './paper-shard.js';
import { PAPER_TASK_IDS } from './paper-task.js';
import { PAPER_TASKS } from './registry.js';
import { runPaperSuite } from './run-paper.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const root = mkdtempSync(join(tmpdir(), 'paper-shard-'));
// The tiny configuration: the two generated memory tasks, LSTM and GRU, one seed, quick budgets (4 units).
const TINY = { suite: 'paper', tasks: 'memory-adding,memory-copy', models: 'lstm,gru', seeds: '1', quick: true, backend: 'wasm', quiet: true } as const;

async function run(name: string, env: NodeJS.ProcessEnv, extra: Record<string, string> = {}): Promise<PaperResultsFile> {
  const options = paperOptionsFrom({ ...TINY, ...extra, out: join(root, name) }, env);
  return (await runPaperSuite({ ...options, registry: PAPER_TASKS })).results;
}

/** Everything a seed measured except its wall-clock training time. */
function withoutTimes(entries: readonly PaperEntry[]): unknown {
  return entries.map((e) => ({ ...e, seeds: e.seeds.map(({ trainMs: _, ...s }) => s) }));
}

describe('sharding the paper suite', () => {
  it('every (task, model) unit of the suite lands in exactly one of n shards', () => {
    const units = paperUnits([...PAPER_TASK_IDS], ['lstm', 'gru', 'rnn'], PAPER_TASKS);
    expect(units.map((u) => `${u.task}/${u.model}`)).toEqual([
      'music-jsb/lstm',
      'music-jsb/gru',
      'music-jsb/rnn',
      'memory-adding/lstm',
      'memory-adding/gru',
      'memory-copy/lstm',
      'memory-copy/gru',
      'text-g2p/lstm',
      'text-g2p/gru',
      'text-g2p-plain/lstm',
      'text-g2p-plain/gru',
    ]);
    for (const count of [1, 2, 3, 7, 11, 13]) {
      const parts = Array.from({ length: count }, (_, i) => shardPaperUnits(units, { index: i + 1, count }));
      expect(parts.flat().map((u) => `${u.task}/${u.model}`).sort()).toEqual(units.map((u) => `${u.task}/${u.model}`).sort());
    }
  });

  it('takes its shard from --shard or from JOB_COMPLETION_INDEX with JOB_COMPLETIONS / --shards', () => {
    expect(paperOptionsFrom({ suite: 'paper', shard: '2/3' }, {}).shard).toEqual({ index: 2, count: 3 });
    expect(paperOptionsFrom({ suite: 'paper' }, { JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '2' }).shard).toEqual({ index: 1, count: 2 });
    expect(paperOptionsFrom({ suite: 'paper', shards: '4' }, { JOB_COMPLETION_INDEX: '3' }).shard).toEqual({ index: 4, count: 4 });
    expect(paperOptionsFrom({ suite: 'paper' }, {}).shard).toBeNull();
  });

  it('two shards started as Indexed Job indices 0 and 1, merged, equal one unsharded run (timings aside)', async () => {
    const whole = await run('whole', {});
    const first = await run('index-0', { JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '2' });
    const second = await run('index-1', { JOB_COMPLETION_INDEX: '1', JOB_COMPLETIONS: '2' });
    expect(first.config.shard).toEqual({ index: 1, count: 2 });
    expect(first.entries.length + second.entries.length).toBe(4);
    // Units are dealt by estimated cost: each shard gets some of the four.
    expect(first.entries.length).toBeGreaterThan(0);
    expect(second.entries.length).toBeGreaterThan(0);
    const merged = mergePaperResults([
      { file: 'index-1', results: second },
      { file: 'index-0', results: first },
    ]);
    expect(whole.failures).toEqual([]);
    expect(withoutTimes(merged.entries)).toEqual(withoutTimes(whole.entries));
    expect(merged.config).toEqual({ ...whole.config, startedAt: merged.config.startedAt });
    expect(merged.cpuSeconds).toBeCloseTo(first.cpuSeconds + second.cpuSeconds, 6);

    // The same through the CLI: gated merge writes the merged results.json and the Published results report.
    const out = join(root, 'merged');
    expect(await main(['merge', join(root, 'index-0'), join(root, 'index-1'), '--out', out], () => {})).toBe(0);
    const written = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as PaperResultsFile;
    expect(withoutTimes(written.entries)).toEqual(withoutTimes(whole.entries));
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('Merged from 2 shards');

    // A verdict is derived: merging recomputes it from the stored interval, so a stale one does not survive.
    const stale = { ...first, entries: first.entries.map((e) => ({ ...e, verdict: e.verdict && { ...e.verdict, reason: 'stale' } })) };
    const remerged = mergePaperResults([{ file: 'index-0', results: stale }, { file: 'index-1', results: second }]);
    expect(remerged.entries.some((e) => e.verdict !== null)).toBe(true);
    expect(remerged.entries.every((e) => e.verdict?.reason !== 'stale')).toBe(true);
    expect(withoutTimes(remerged.entries)).toEqual(withoutTimes(whole.entries));

    // A missing or a repeated shard is refused, and so is a shard of another configuration.
    expect(() => mergePaperResults([{ file: 'index-0', results: first }])).toThrow(/GATED_SHARD_MISSING|missing 2\/2/);
    expect(() => mergePaperResults([{ file: 'a', results: first }, { file: 'b', results: first }])).toThrow(/shard 1\/2 once/);
    const otherSeeds = { ...second, config: { ...second.config, seeds: [0, 1] } };
    expect(() => mergePaperResults([{ file: 'index-0', results: first }, { file: 'index-1', results: otherSeeds }])).toThrow(/one config/);
  }, 240_000);
});
