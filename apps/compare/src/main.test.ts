import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { buildGrid, shardGrid } from './grid.js';
import { main } from './main.js';
import { readResults, writeResults } from './run-dir.js';
import { syntheticResults } from './test-utils/synthetic-results.js';

describe('gated (main)', () => {
  it('exits 2 on a usage error and says how to get help', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['compare', '--models', 'lstm,lstmm'])).toBe(2);
      const text = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toContain('"lstmm"');
      expect(text).toContain('valid: lstm, gru, rnn');
      expect(text).toContain('gated --help');
    } finally {
      stderr.mockRestore();
    }
  });

  it('gated merge turns shard directories into one run with a report', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gated-merge-'));
    const grid = buildGrid(['text-classify', 'memory-adding'], ['lstm', 'gru', 'rnn']);
    const dirs = [1, 2].map((k) => {
      const dir = join(root, `shard-${k}`);
      mkdirSync(dir);
      return dir;
    });
    for (const [i, dir] of dirs.entries()) {
      const shard = { index: i + 1, count: 2 };
      await writeResults(dir, syntheticResults(['text-classify', 'memory-adding'], { shard, units: shardGrid(grid, shard) }));
    }
    const printed: string[] = [];
    expect(await main(['merge', ...dirs, '--out', join(root, 'merged')], (t) => void printed.push(t))).toBe(0);
    const merged = readResults(join(root, 'merged'));
    expect(merged.runs).toHaveLength(grid.length);
    expect(existsSync(join(root, 'merged', 'report.html'))).toBe(true);
    expect(readFileSync(join(root, 'merged', 'report.md'), 'utf8')).toContain('GRU trains faster than LSTM');
    expect(printed.join('')).toContain('Merged 2 run(s)');
    // Merging again into the same directory is refused: runs are never overwritten.
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['merge', ...dirs, '--out', join(root, 'merged')], () => {})).toBe(1);
    } finally {
      stderr.mockRestore();
    }
  });
});
