import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainSeed } from './measure-seed.js';
import { mergeResults } from './merge.js';
import type { ResultsFile } from './results.js';
import { runCompare } from './run-compare.js';
import { readResults } from './run-dir.js';
import { TASKS } from './tasks/registry.js';
import { runSpeed } from './test-utils/fake-runtime.js';
import { workerExecArgv } from './workers/module-url.js';

// Each worker or shard process loads the whole app; on a busy shared machine that alone can take a minute.
const SLOW = 400_000;
const root = mkdtempSync(join(tmpdir(), 'gated-parallel-'));
// A tiny real grid: two tasks, three models (+ the wide GRU), and the G2P encoder–decoders (LSTM, GRU), one seed,
// --quick budgets, real training on wasm.
// The speed phase is faked: these tests compare what training produces, which must not depend on where it ran.
const grid = { tasks: ['text-g2p', 'timeseries-co2', 'memory-adding'], models: ['lstm', 'gru', 'rnn'], seeds: 1, quick: true, backend: 'wasm', progress: 'none' } as const;

/** The entries and probes of a run without the clock readings of training (its wall time, and when each eval came). */
function trained(r: ResultsFile): unknown {
  return {
    runs: r.runs.map(({ seeds, curves: { evalTrainMs: _c, ...curves }, ...entry }) => ({
      ...entry,
      curves,
      seeds: seeds.map(({ trainMs: _t, curve: { evalTrainMs: _e, ...curve }, ...seed }) => ({ ...seed, curve })),
    })),
    gradientFlow: r.gradientFlow,
    gateStats: r.gateStats,
    attentionMaps: r.attentionMaps,
    verdicts: r.verdicts,
    failures: r.failures,
  };
}

let single: ResultsFile;
beforeAll(async () => {
  single = (await runCompare({ ...grid, shard: null, out: join(root, 'single'), registry: TASKS, runSeed: trainSeed, runSpeed, workers: 1 })).results;
}, SLOW);

describe('parallel and sharded training give the same numbers', () => {
  it('--workers 2 trains to exactly the metrics, curves and gradient flow of --workers 1 with the same seeds', async () => {
    const { results } = await runCompare({ ...grid, shard: null, out: join(root, 'two'), registry: TASKS, runSeed: trainSeed, runSpeed, workers: 2 });
    expect(single.runs).toHaveLength(12);
    expect(single.attentionMaps?.map((m) => m.model)).toEqual(['lstm', 'lstm', 'lstm', 'gru', 'gru', 'gru']);
    expect(single.failures).toEqual([]);
    // The encoder–decoder's shape is recorded with its config; recurrent stacks record none.
    expect(single.runs.find((r) => r.task === 'text-g2p')?.config.architecture).toMatch(/general attention, no input feeding/);
    expect(single.runs.find((r) => r.task === 'timeseries-co2')?.config.architecture).toBeUndefined();
    expect(results.measurement.trainingWorkers).toBe(2);
    expect(results.measurement.trainingKernelThreads).toBe(1);
    expect(trained(results)).toEqual(trained(single));
  }, SLOW);

  it('2 processes started as Kubernetes Indexed Job pods (JOB_COMPLETION_INDEX=0,1) merge into the unsharded run', async () => {
    const script = new URL('./test-utils/shard-run.ts', import.meta.url).pathname;
    const dirs = [0, 1].map((i) => join(root, `shard-${i}`));
    await Promise.all(
      dirs.map((dir, i) =>
        promisify(execFile)(process.execPath, [...workerExecArgv(), script, dir], {
          env: { ...process.env, JOB_COMPLETION_INDEX: String(i), JOB_COMPLETIONS: '2' },
          timeout: SLOW,
        }),
      ),
    );
    const shards = dirs.map((dir) => ({ file: dir, results: readResults(dir) }));
    expect(shards.map((s) => s.results.config.shard)).toEqual([
      { index: 1, count: 2 },
      { index: 2, count: 2 },
    ]);
    expect(shards.map((s) => s.results.runs.length)).toEqual([6, 6]);
    expect(shards[0]!.results.provenance.configHash).toBe(single.provenance.configHash);
    const merged = mergeResults(shards);
    expect(trained(merged)).toEqual(trained(single));
  }, SLOW);
});
