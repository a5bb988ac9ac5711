import { aggregateEntry } from '../aggregate.js';
import { type GridUnit, type Shard, type TaskId, buildGrid, isHorizonTask } from '../grid.js';
import { at } from '../lookup.js';
import { configHash } from '../provenance.js';
import { SCHEMA_VERSION, type GateStatsRecord, type ResultsFile, type RunEntry, type SeedResult } from '../results.js';
import { horizonLength } from '../tasks/horizon-sweep.js';
import type { ModelKind } from '../sizing.js';
import { computeVerdicts } from '../verdicts.js';

/** Per-model knobs of a synthetic unit: its step time and metric for each seed. */
export interface SyntheticModel {
  readonly stepMs: readonly number[];
  readonly metric: readonly number[];
  readonly peakBytes?: number;
  readonly params?: number;
}

/** A results entry built from given per-seed numbers (for tests of the statistics, merge and report). */
export function syntheticEntry(unit: GridUnit, m: SyntheticModel): RunEntry {
  const seeds: SeedResult[] = m.stepMs.map((stepMs, i): SeedResult => {
    const metric = at(m.metric, i, 'metric');
    return {
      seed: i,
      metric,
      extraMetrics: { f1: 0.5 + i / 100 },
      trainStepMs: stepMs,
      epochMs: stepMs * 10,
      trainMs: stepMs * 100,
      inferLatencyMs: { tfjs: stepMs / 3, onnxruntime: stepMs / 10 },
      throughputPerSec: { tfjs: 1000 / stepMs, onnxruntime: 5000 / stepMs },
      peakTensorBytes: m.peakBytes ?? 1_000_000,
      rssBytes: 200_000_000,
      curve: { step: [0, 10, 20], trainLoss: [2, 1.5 - i / 10, 1.2], evalStep: [0, 20], evalMetric: [metric * 0.5, metric], evalTrainMs: [0, stepMs * 20] },
    };
  });
  return aggregateEntry(
    {
      unit,
      config: {
        hiddenSize: unit.sizing === 'equal-params' ? 74 : 64,
        input: 'features:2',
        outputSize: 1,
        pooling: 'last',
        steps: unit.sizing === 'equal-compute' ? 27 : 20,
        stepFlops: { lstm: 4e6, gru: 3e6, rnn: 1e6 }[unit.model],
        batchSize: 8,
        seqLen: 30,
        learningRate: 0.01,
        stepsPerEpoch: 10,
        targetParams: unit.sizing === 'equal-params' ? 17473 : null,
        evaluation: {
          final: { split: 'test', examples: 1000, unit: 'sequences', of: 1000, sampling: 'all', seed: null },
          curve: { split: 'test', examples: 200, unit: 'sequences', of: 1000, sampling: 'random', seed: 0 },
        },
      },
      params: m.params ?? { lstm: 17473, gru: 13121, rnn: 4417 }[unit.model],
      weightBytes: (m.params ?? 1000) * 4,
      metricName: unit.task.startsWith('memory-adding') ? 'mse' : 'accuracy',
      higherIsBetter: !unit.task.startsWith('memory-adding'),
    },
    seeds,
  );
}

const DEFAULT_MODELS: Record<ModelKind, SyntheticModel> = {
  lstm: { stepMs: [10, 10.5, 9.5], metric: [0.9, 0.91, 0.89], peakBytes: 2_000_000 },
  gru: { stepMs: [8, 8.2, 7.9], metric: [0.9, 0.88, 0.92], peakBytes: 1_600_000 },
  rnn: { stepMs: [3, 3.1, 2.9], metric: [0.5, 0.52, 0.49], peakBytes: 600_000 },
};

/** Synthetic sweep MSEs (3 seeds): the LSTM solves up to T = 200, the GRU up to 400, the RNN nothing. */
const HORIZON_MSE: Record<ModelKind, (T: number) => number[]> = {
  lstm: (T) => (T <= 200 ? [0.004, 0.005, 0.006] : [0.15, 0.16, 0.155]),
  gru: () => [0.002, 0.003, 0.0025],
  rnn: () => [0.165, 0.166, 0.167],
};

/** A synthetic gate record: two units, an LSTM's four gates or a GRU's three, a heatmap on the sweep. */
export function syntheticGateStats(task: TaskId, model: 'lstm' | 'gru'): GateStatsRecord {
  const names = model === 'lstm' ? ['input', 'forget', 'cell', 'output'] : ['reset', 'update', 'candidate'];
  const edges = Array.from({ length: 21 }, (_, i) => i / 20);
  return {
    task, model, kind: model, seed: 0, examples: 4, seqLen: 50,
    gates: names.map((gate) => {
      const sigmoid = gate !== 'cell' && gate !== 'candidate';
      return {
        gate, sigmoid, mean: 0.5, histogram: { edges: sigmoid ? edges : edges.map((e) => 2 * e - 1), counts: edges.slice(1).map((_, i) => (i * 7) % 5) },
        leftFraction: sigmoid ? [0.7, 0.1] : null, rightFraction: sigmoid ? [0.05, 0.6] : null,
        leftSaturatedUnits: sigmoid ? 0.5 : null, rightSaturatedUnits: sigmoid ? 0.5 : null,
      };
    }),
    ...(isHorizonTask(task)
      ? { heatmap: { gate: model === 'lstm' ? 'forget' : 'update', seqLen: 50, marks: [3, 30], steps: [2, 3, 4, 29, 30, 31], values: [[0.9, 0.1], [0.2, 0.95], [0.9, 0.5], [0.9, 0.9], [0.1, 0.3], [0.5, 0.5]] } }
      : {}),
  };
}

/** A complete results file over the given tasks with plausible synthetic numbers. */
export function syntheticResults(
  tasks: readonly TaskId[] = ['text-classify', 'memory-adding'],
  options: { readonly shard?: Shard; readonly units?: readonly GridUnit[] } = {},
): ResultsFile {
  const units = options.units ?? buildGrid(tasks, ['lstm', 'gru', 'rnn']);
  const runs = units.map((u) =>
    syntheticEntry(u, isHorizonTask(u.task) ? { ...DEFAULT_MODELS[u.model], metric: HORIZON_MSE[u.model](horizonLength(u.task)) } : DEFAULT_MODELS[u.model]),
  );
  const gateStats = tasks.flatMap((task) => (['lstm', 'gru'] as const).map((model) => syntheticGateStats(task, model)));
  return {
    schemaVersion: SCHEMA_VERSION,
    machine: {
      platform: 'linux', arch: 'x64', cpuModel: 'Test CPU', cpus: 2, totalMemBytes: 8 * 2 ** 30, node: 'v20.0.0',
      tfjsBackend: 'wasm', tfjsVersion: '4.22.0', onnxruntimeVersion: '1.30.0', fingerprint: 'Test CPU × 2 cores, Node v20.0.0',
    },
    config: {
      tasks, models: ['lstm', 'gru', 'rnn'], seeds: [0, 1, 2], quick: false, backend: 'wasm', shard: options.shard ?? null,
      budgets: {}, startedAt: '2026-01-01T00:00:00.000Z',
    },
    provenance: {
      version: '0.0.0', commit: 'abc1234',
      configHash: configHash({ tasks, models: ['lstm', 'gru', 'rnn'], seeds: [0, 1, 2], quick: false, backend: 'wasm', budgets: {} }),
    },
    measurement: { trainingWorkers: 2, trainingKernelThreads: 1, speedPhase: 'alone-before-training', speedSteps: { warmup: 3, timed: 20 } },
    runs,
    verdicts: computeVerdicts(runs),
    gradientFlow: tasks.includes('memory-adding')
      ? (['lstm', 'gru', 'rnn'] as const).map((model) => ({
          task: 'memory-adding' as const, model, seed: 0, seqLen: 4,
          initial: [0.01, 0.1, 0.5, 1], trained: model === 'rnn' ? [1e-6, 1e-3, 0.1, 1] : [0.3, 0.5, 0.8, 1],
        }))
      : [],
    gateStats,
    failures: [],
    finishedAt: '2026-01-01T00:10:00.000Z',
  };
}
