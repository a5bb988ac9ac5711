// A fake training runtime for tests of runCompare and the worker pool. Worker processes import it by URL (as
// `workerRuntime`), so it exports `registry` and `runSeed` like workers/default-runtime.ts. Its numbers depend on
// model and seed only, so verdicts are predictable. GATED_FAKE_STEP_MS slows each step (to catch a worker
// mid-job); GATED_FAKE_CRASH=task/model/sizing makes a worker process exit (code 70) when it trains that unit.
import { setTimeout as sleep } from 'node:timers/promises';
import { TaskUnavailableError } from '../errors.js';
import { TASK_IDS, type TaskId } from '../grid.js';
import type { SpeedRunner } from '../measure-speed.js';
import type { SeedRunner } from '../run-compare.js';
import type { PreparedTask, TaskDefinition } from '../tasks/task.js';
import { trainStream } from '../tasks/train-stream.js';

/** The budget of every fake task. */
export const budget = { hiddenSize: 8, steps: 4, batchSize: 2, seqLen: 5, learningRate: 0.01, maxEvalExamples: 0, curvePoints: 2 };

/** A task with no data; `fail` makes it unavailable, as a task whose package is missing. */
export function fakeTask(id: TaskId, fail = false): TaskDefinition {
  return {
    id,
    title: id,
    data: 'fake',
    metric: { name: 'accuracy', higherIsBetter: true },
    budgets: { quick: budget, default: budget },
    requires: '@gated/fake',
    ...(id === 'memory-adding' ? { gradientFlowProbe: true } : {}),
    async prepare(): Promise<PreparedTask> {
      if (fail) throw new TaskUnavailableError(id, '@gated/fake', 'loadFake');
      return {
        kind: 'recurrent',
        model: { input: { kind: 'features', inputSize: 3 }, outputSize: 2, pooling: 'last' },
        loss: 'crossEntropy',
        stepsPerEpoch: 2,
        seqLen: 5,
        evaluation: {
          final: { split: 'test', examples: 10, unit: 'rows', of: 10, sampling: 'all', seed: null },
          curve: { split: 'test', examples: 4, unit: 'rows', of: 10, sampling: 'random', seed: 0 },
        },
        trainData: () => trainStream(2, async function* () {}),
        evaluate: async () => ({ metric: 0.5, extras: {} }),
        sampleInput: () => {
          throw new Error('unused');
        },
        dispose: () => {},
      };
    },
  };
}

/** Every task, text-lm unavailable. */
export const registry = Object.fromEntries(TASK_IDS.map((id) => [id, fakeTask(id, id === 'text-lm')])) as Record<TaskId, TaskDefinition>;

/** Training phase: the metric depends on model and seed; reports its 4 steps. */
export const runSeed: SeedRunner = async ({ unit, seed, hiddenSize, onSteps, probeGradientFlow }) => {
  const stepMs = Number(process.env['GATED_FAKE_STEP_MS'] ?? 0);
  if (process.env['GATED_FAKE_CRASH'] === `${unit.task}/${unit.model}/${unit.sizing}` && process.send !== undefined) process.exit(70);
  for (let i = 0; i < 4; i++) {
    if (stepMs > 0) await sleep(stepMs);
    onSteps(1);
  }
  return {
    params: hiddenSize * 100,
    weightBytes: hiddenSize * 400,
    result: {
      seed,
      metric: 0.8 + seed / 100 + { lstm: 0, gru: 0.001, rnn: -0.2 }[unit.model],
      extraMetrics: {},
      trainMs: 4,
      curve: { step: [1, 2, 3, 4], trainLoss: [1, 0.8, 0.7, 0.6], evalStep: [4], evalMetric: [0.8] },
    },
    ...(probeGradientFlow ? { gradientFlow: { task: unit.task, model: unit.model, seed, seqLen: 2, initial: [0.1, 1], trained: [0.5, 1] } } : {}),
  };
};

/** Speed phase: LSTM slowest, RNN fastest. */
export const runSpeed: SpeedRunner = async ({ unit, seed, hiddenSize }) => {
  const step = { lstm: 10, gru: 8, rnn: 3 }[unit.model] + seed * 0.1;
  return {
    trainStepMs: step,
    epochMs: step * 2,
    inferLatencyMs: { tfjs: 1, onnxruntime: 0.5 },
    throughputPerSec: { tfjs: 100, onnxruntime: 200 },
    peakTensorBytes: hiddenSize * 1000,
    rssBytes: 1e8,
  };
};
