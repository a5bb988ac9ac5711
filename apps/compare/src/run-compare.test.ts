import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unitKey } from './grid.js';
import type { ResultsFile } from './results.js';
import { readResults } from './run-dir.js';
import { type CompareOptions, type SeedRunner, hiddenSizeFor, runCompare, unitPlan } from './run-compare.js';
import { SPEED_RACE, type SpeedRacer } from './speed-race.js';
import { budget, runSeed as fakeRunner, registry, runSpeed } from './test-utils/fake-runtime.js';

function options(out: string, overrides: Partial<CompareOptions> = {}): CompareOptions {
  return {
    tasks: ['text-lm', 'memory-adding'], models: ['lstm', 'gru', 'rnn'], seeds: 3, quick: true, out, backend: 'cpu', shard: null,
    progress: 'none', registry, runSeed: fakeRunner, runSpeed, ...overrides,
  };
}

describe('runCompare', () => {
  it('writes results.json, report.md and report.html; an unavailable task is a failure, not numbers', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gated-run-')), 'run');
    const { results } = await runCompare(options(out));
    const onDisk = readResults(out);
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(results)));
    expect(results.runs.map((r) => `${r.model}/${r.sizing}`)).toEqual(['lstm/equal-hidden', 'gru/equal-hidden', 'gru/equal-params', 'gru/equal-compute', 'rnn/equal-hidden']);
    expect(results.failures.map((f) => f.code)).toEqual(Array(5).fill('GATED_TASK_UNAVAILABLE'));
    expect(results.failures[0]!.message).toContain('@gated/fake');
    expect(results.gradientFlow.map((g) => g.model)).toEqual(['lstm', 'gru', 'rnn']);
    expect(results.verdicts.find((v) => v.claim === 'gru-trains-faster')!.verdict).toBe('supported');
    expect(results.finishedAt).toBeDefined();
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('GATED_TASK_UNAVAILABLE');
  });

  it("races each task's equal-hidden models once, stores the paired timings with their entries, and decides the speed claims on them", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gated-run-')), 'run');
    const races: string[] = [];
    // GRU steps 0.8× the LSTM's round by round, under a load that changes more than that between rounds.
    const runRace: SpeedRacer = async ({ contestants, race }) => {
      races.push(`${race.slice(race.lastIndexOf('/') + 1)}: ${contestants.map((c) => `${c.unit.model}/${c.unit.sizing}`).join(' ')}`);
      const load = [1, 2, 1.2, 1.7, 0.9];
      const factor = { lstm: 1, gru: 0.8, rnn: 0.3 };
      return new Map(
        contestants.map((c) => [
          unitKey(c.unit),
          {
            race,
            trainStepCpuMs: load.map((l, i) => 10 * factor[c.unit.model] * l * (1 + i / 100)),
            inferLatencyCpuMs: load.map((l) => 2 * l),
            trainStepMs: load.map((l) => 20 * l),
            inferLatencyMs: load.map((l) => 4 * l),
          },
        ]),
      );
    };
    const { results } = await runCompare(options(out, { runRace, tasks: ['memory-adding'] }));
    expect(races).toEqual(['memory-adding: lstm/equal-hidden gru/equal-hidden rnn/equal-hidden']);
    expect(results.measurement.speedRace).toEqual(SPEED_RACE);
    expect(results.runs.map((r) => `${r.model}/${r.sizing} ${r.pairedSpeed?.trainStepCpuMs.length ?? 'none'}`)).toEqual([
      'lstm/equal-hidden 5', 'gru/equal-hidden 5', 'gru/equal-params none', 'gru/equal-compute none', 'rnn/equal-hidden 5',
    ]);
    const faster = results.verdicts.find((v) => v.claim === 'gru-trains-faster')!;
    expect(faster.verdict).toBe('supported');
    expect(faster.ratio!.mean).toBeCloseTo(0.8, 6);
    // Equal latencies round by round: no difference to find.
    expect(results.verdicts.find((v) => v.claim === 'gru-infers-faster')!.verdict).toBe('not significant');
    expect(readResults(out).runs[0]!.pairedSpeed).toEqual(results.runs[0]!.pairedSpeed);
  });

  it('widens the GRU of the equal-params unit to the LSTM parameter count', async () => {
    const spec = { input: { kind: 'features', inputSize: 2 }, outputSize: 1, pooling: 'last' } as const;
    expect(hiddenSizeFor({ task: 'memory-adding', model: 'gru', sizing: 'equal-params' }, spec, { ...budget, hiddenSize: 64 })).toEqual({
      hiddenSize: 74,
      targetParams: 17473,
    });
  });

  it('trains the equal-compute GRU for the LSTM\'s FLOPs: about 4/3 of its steps, recorded with the FLOPs per step', async () => {
    const task = { model: { input: { kind: 'features', inputSize: 2 }, outputSize: 1, pooling: 'last' }, seqLen: 50 } as const;
    const b = { ...budget, hiddenSize: 64, steps: 1000, batchSize: 32 };
    const lstm = unitPlan({ task: 'memory-adding', model: 'lstm', sizing: 'equal-hidden' }, task, b);
    const gru = unitPlan({ task: 'memory-adding', model: 'gru', sizing: 'equal-compute' }, task, b);
    expect(lstm).toEqual({ hiddenSize: 64, targetParams: null, steps: 1000, stepFlops: 3 * 32 * (50 * 35_136 + 129) });
    expect(gru.steps).toBe(1329);
    expect(gru.steps * gru.stepFlops).toBeCloseTo(lstm.steps * lstm.stepFlops, -gru.stepFlops.toString().length + 1);
    const out = join(mkdtempSync(join(tmpdir(), 'gated-run-')), 'run');
    const steps: Record<string, number> = {};
    const runner: SeedRunner = async (req) => {
      steps[`${req.unit.model}/${req.unit.sizing}`] = req.budget.steps;
      return fakeRunner(req);
    };
    const { results } = await runCompare(options(out, { tasks: ['memory-adding'], seeds: 1, runSeed: runner }));
    expect(steps['gru/equal-compute']! / steps['lstm/equal-hidden']!).toBeCloseTo(4 / 3, 0);
    expect(results.runs.find((r) => r.sizing === 'equal-compute')!.config.steps).toBe(steps['gru/equal-compute']);
    expect(results.runs.every((r) => (r.config.stepFlops ?? 0) > 0)).toBe(true);
  });

  it('results.json holds every finished entry while the run is still going, and a failing unit is recorded', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gated-run-')), 'run');
    const snapshots: ResultsFile[] = [];
    let calls = 0;
    const runner: SeedRunner = async (req) => {
      // Read the file as an interrupted run would leave it, at the start of every unit.
      if (req.seed === 0) snapshots.push(readResults(out));
      if (++calls > 5) throw new Error('out of memory');
      return fakeRunner(req);
    };
    const { results } = await runCompare(options(out, { tasks: ['memory-adding'], runSeed: runner }));
    expect(snapshots.map((s) => s.runs.length)).toEqual([0, 1, 1, 1, 1]);
    expect(snapshots.every((s) => s.finishedAt === undefined)).toBe(true);
    expect(results.runs).toHaveLength(1);
    expect(results.failures.map((f) => f.message)).toEqual(Array(4).fill('Error: out of memory'));
  });

  it('never overwrites an existing run', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gated-run-'));
    writeFileSync(join(out, 'results.json'), '{}');
    await expect(runCompare(options(out))).rejects.toThrow(/never overwritten/);
  });

  it('runs only its shard of the grid', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gated-run-')), 'run');
    const { results } = await runCompare(options(out, { tasks: ['memory-adding'], shard: { index: 2, count: 2 } }));
    expect(results.runs.map((r) => `${r.model}/${r.sizing}`)).toEqual(['gru/equal-hidden', 'gru/equal-compute']);
    expect(results.config.shard).toEqual({ index: 2, count: 2 });
  });
});
