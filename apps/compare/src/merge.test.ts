import { describe, expect, it } from 'vitest';
import { buildGrid, shardGrid, unitKey } from './grid.js';
import { mergeResults } from './merge.js';
import { reportMarkdown } from './report.js';
import type { ResultsFile } from './results.js';
import { checkResultsShape } from './results-schema.js';
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

  it('keeps the attention maps of the shard that trained each G2P unit, in report order, whatever the input order', () => {
    const map = (model: 'lstm' | 'gru', word: string) => ({ task: 'text-g2p' as const, model, seed: 0, word, graphemes: [...word], phonemes: ['AH', '</s>'], reference: ['AH'], weights: [[1, 0], [0, 1]] });
    const [a, b] = shards(2);
    const parts = [
      { ...b!, results: { ...b!.results, attentionMaps: [map('gru', 'to'), map('gru', 'be')] } },
      { ...a!, results: { ...a!.results, attentionMaps: [map('lstm', 'to'), map('lstm', 'be')] } },
    ];
    const merged = mergeResults(parts);
    expect(merged.attentionMaps?.map((m) => `${m.model} ${m.word}`)).toEqual(['lstm to', 'lstm be', 'gru to', 'gru be']);
    expect(JSON.stringify(mergeResults([parts[1]!, parts[0]!]))).toBe(JSON.stringify(merged));
    expect(mergeResults(shards(2)).attentionMaps).toBeUndefined();
    // results.json with malformed maps is refused naming the field, before any report code reads it.
    expect(() => checkResultsShape('r.json', JSON.parse(JSON.stringify(merged)))).not.toThrow();
    const bad = { ...merged, attentionMaps: [{ ...map('lstm', 'to'), weights: [['x']] }] };
    expect(() => checkResultsShape('r.json', JSON.parse(JSON.stringify(bad)))).toThrow(/attentionMaps\[0\]\.weights\[0\]\[0\]/);
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

describe('merge refuses what would give a wrong report', () => {
  const codeOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      return `${(error as { code: string }).code}: ${(error as Error).message}`;
    }
    return 'no error';
  };

  it('a missing shard', () => {
    const parts = shards(3);
    expect(codeOf(() => mergeResults([parts[0]!, parts[2]!]))).toBe(
      'GATED_SHARD_MISSING: gated merge: expected all 3 shards of the grid, missing 2/3 (got 1/3, 3/3)',
    );
  });

  it('a shard given twice', () => {
    const parts = shards(3);
    const again = { ...parts[1]!, file: 'retry/shard-2/results.json' };
    expect(codeOf(() => mergeResults([...parts, again]))).toBe(
      'GATED_SHARD_DUPLICATE: gated merge: expected shard 2/3 once, found it in shard-2/results.json and retry/shard-2/results.json',
    );
  });

  it('shards of different grids, shard counts or code versions', () => {
    const parts = shards(2);
    const other = (change: (r: ResultsFile) => ResultsFile) => [parts[0]!, { ...parts[1]!, results: change(parts[1]!.results) }];
    const config = codeOf(() => mergeResults(other((r) => ({ ...r, provenance: { ...r.provenance, configHash: 'f'.repeat(64) } }))));
    expect(config).toMatch(/^GATED_SHARD_MISMATCH: gated merge: expected one config across the inputs, found shard-1\/results.json: [0-9a-f]{64}; shard-2\/results.json: f{64}$/);
    const code = codeOf(() => mergeResults(other((r) => ({ ...r, provenance: { ...r.provenance, commit: 'def5678' } }))));
    expect(code).toContain('GATED_SHARD_MISMATCH: gated merge: expected one code version across the inputs');
    expect(code).toContain('shard-2/results.json: @gated/compare 0.0.0 at def5678');
    const count = codeOf(() => mergeResults([...shards(3), ...shards(2)]));
    expect(count).toMatch(/^GATED_SHARD_MISMATCH: gated merge: expected one shard count/);
    const whole = codeOf(() => mergeResults([parts[0]!, { file: 'whole', results: syntheticResults(TASKS) }]));
    expect(whole).toMatch(/^GATED_SHARD_MISMATCH: gated merge: expected one sharding .*whole: the whole grid/);
  });

  it('flags speed numbers from different machines instead of comparing them', () => {
    const parts = shards(3);
    const fingerprint = 'Other CPU × 8 cores, Node v20.0.0';
    const other = { ...parts[1]!, results: { ...parts[1]!.results, machine: { ...parts[1]!.results.machine, cpuModel: 'Other CPU', cpus: 8, fingerprint } } };
    const merged = mergeResults([parts[0]!, other, parts[2]!]);
    expect(merged.speedMachines?.map((m) => m.fingerprint)).toEqual(['Other CPU × 8 cores, Node v20.0.0', 'Test CPU × 2 cores, Node v20.0.0']);
    expect(merged.speedMachines![0]!.units).toEqual(other.results.runs.map(unitKey).sort());
    // text-classify: the LSTM ran in shard 1, the GRU in shard 2 (the other machine): no speed verdict between them.
    const speed = (task: string) => merged.verdicts.filter((v) => v.task === task && v.measure === 'trainStepMs');
    expect(speed('text-classify')).toEqual([]);
    expect(mergeResults(parts).verdicts.filter((v) => v.task === 'text-classify' && v.measure === 'trainStepMs')).toHaveLength(1);
    // Memory (tfjs tensor bytes) does not depend on the machine and is still compared.
    expect(merged.verdicts.some((v) => v.task === 'text-classify' && v.measure === 'peakTensorBytes')).toBe(true);
    expect(reportMarkdown(merged)).toContain('Speed numbers come from 2 different machines and are not compared across them');
    expect(mergeResults(parts).speedMachines).toBeUndefined();
  });
});
