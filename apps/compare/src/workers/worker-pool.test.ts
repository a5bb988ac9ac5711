import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// Worker processes load the app from source; on a busy shared machine that alone can take a minute.
const SLOW = 300_000;
import { buildGrid } from '../grid.js';
import type { ResultsFile } from '../results.js';
import { readResults } from '../run-dir.js';
import { type CompareOptions, runCompare } from '../run-compare.js';
import { budget, registry, runSeed, runSpeed } from '../test-utils/fake-runtime.js';
import type { SeedJob } from './seed-job.js';
import { workerPool } from './worker-pool.js';

const FAKE_RUNTIME = new URL('../test-utils/fake-runtime.ts', import.meta.url).href;

function options(out: string, overrides: Partial<CompareOptions> = {}): CompareOptions {
  return {
    tasks: ['text-lm', 'timeseries-co2', 'memory-adding'], models: ['lstm', 'gru', 'rnn'], seeds: 2, quick: true, out, backend: 'cpu', shard: null,
    progress: 'none', registry, runSeed, runSpeed, workerRuntime: FAKE_RUNTIME, ...overrides,
  };
}

/** A run without what legitimately differs between two runs: times of day and how it was run. */
function comparable(r: ResultsFile): unknown {
  const { config, measurement: _m, finishedAt: _f, ...rest } = r;
  return { ...rest, config: { ...config, startedAt: null } };
}

const jobs: SeedJob[] = buildGrid(['memory-adding'], ['lstm', 'gru', 'rnn']).map((unit, id) => ({ id, unit, seed: 0, hiddenSize: 8, budget, probeGradientFlow: false, recordGates: false }));

afterEach(() => {
  delete process.env['GATED_FAKE_STEP_MS'];
});

describe('worker pool', () => {
  it('--workers 2 writes the same results.json as --workers 1, apart from how it was run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gated-workers-'));
    const one = await runCompare(options(join(root, 'one'), { workers: 1 }));
    const two = await runCompare(options(join(root, 'two'), { workers: 2 }));
    expect(one.results.measurement.trainingWorkers).toBe(1);
    expect(two.results.measurement.trainingWorkers).toBe(2);
    expect(two.results.runs).toHaveLength(10);
    expect(two.results.failures.map((f) => f.code)).toEqual(Array(5).fill('GATED_TASK_UNAVAILABLE'));
    expect(comparable(two.results)).toEqual(comparable(one.results));
    expect(comparable(readResults(join(root, 'two')))).toEqual(comparable(readResults(join(root, 'one'))));
  }, SLOW);

  it('a worker killed mid-job fails that job with a clear error; a new worker takes the next jobs', async () => {
    process.env['GATED_FAKE_STEP_MS'] = '150';
    const started: { job: string; pid: number }[] = [];
    const pool = workerPool({
      size: 2,
      runtime: FAKE_RUNTIME,
      backend: 'cpu',
      events: {
        onStart: (job, worker) => {
          started.push({ job: job.unit.model + job.unit.sizing, pid: worker.pid });
          if (job.id === 1) setTimeout(() => process.kill(worker.pid, 'SIGKILL'), 200);
        },
      },
    });
    try {
      const settled = await Promise.allSettled(jobs.map((job) => pool.run(job)));
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
      const error = (settled[1] as PromiseRejectedResult).reason as { code: string; message: string; details: { signal: string } };
      expect(error.code).toBe('GATED_WORKER_EXITED');
      expect(error.details.signal).toBe('SIGKILL');
      expect(error.message).toMatch(/^worker \d \(pid \d+\) was killed by SIGKILL while training memory-adding\/gru\/equal-hidden seed 0/);
      // The killed worker is replaced: keep two jobs running until a third process takes one (it has to start first).
      for (let round = 0; new Set(started.map((s) => s.pid)).size < 3 && round < 200; round++) {
        await Promise.all([pool.run(jobs[0]!), pool.run(jobs[2]!)]);
      }
      expect(new Set(started.map((s) => s.pid)).size).toBe(3);
    } finally {
      await pool.close();
    }
  }, SLOW);

  it('a worker that dies fails its entry in results.json and the run goes on', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gated-workers-')), 'run');
    process.env['GATED_FAKE_CRASH'] = 'memory-adding/gru/equal-params';
    try {
      const { results } = await runCompare(options(out, { tasks: ['memory-adding'], workers: 2 }));
      const onDisk = readResults(out);
      expect(onDisk.runs.map((r) => `${r.model}/${r.sizing}`)).toEqual(['lstm/equal-hidden', 'gru/equal-hidden', 'gru/equal-compute', 'rnn/equal-hidden']);
      expect(onDisk.failures).toHaveLength(1);
      expect(onDisk.failures[0]).toMatchObject({ task: 'memory-adding', model: 'gru', sizing: 'equal-params', code: 'GATED_WORKER_EXITED' });
      expect(onDisk.failures[0]!.message).toMatch(/exited with code 70 while training memory-adding\/gru\/equal-params seed [01]/);
      expect(results.finishedAt).toBeDefined();
    } finally {
      delete process.env['GATED_FAKE_CRASH'];
    }
  }, SLOW);

  it('a runtime module that cannot load fails every job with GATED_WORKER_START instead of respawning forever', async () => {
    const pool = workerPool({ size: 1, runtime: new URL('./no-such-runtime.js', import.meta.url).href, backend: 'cpu' });
    try {
      const settled = await Promise.allSettled(jobs.slice(0, 2).map((job) => pool.run(job)));
      for (const s of settled) {
        expect(s.status).toBe('rejected');
        expect((s as PromiseRejectedResult).reason).toMatchObject({ code: 'GATED_WORKER_START' });
      }
      expect(((settled[0] as PromiseRejectedResult).reason as Error).message).toMatch(/^a worker could not load .*no-such-runtime\.js: /);
    } finally {
      await pool.close();
    }
  }, SLOW);
});
