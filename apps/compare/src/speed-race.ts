import * as tf from '@tensorflow/tfjs-core';
import { SequenceModel } from '@gated/cells';
import type { Batch, Dataset } from '@gated/tensor';
import { fit } from '@gated/trainer';
import { type GridUnit, unitKey } from './grid.js';
import { median, modelOptions, predictor } from './measure-seed.js';
import type { Budget, PairedTiming } from './results.js';
import type { PreparedTask, RecurrentTask } from './tasks/task.js';

/**
 * The paired speed design: every model of a task is timed in the same rounds, one after the other in an order that
 * rotates each round, after warm-up rounds that are discarded. A round times `stepsPerRound` training steps (their
 * median; one more step runs first and is not timed, it carries the call's set-up) and `latencyCalls` batch-1
 * forward passes (their median) per model. Rounds are the pairs of the paired test (see paired-ratio.ts).
 */
export const SPEED_RACE = { warmupRounds: 1, rounds: 12, stepsPerRound: 3, latencyCalls: 3 } as const;

/** One model of a race: a grid unit at its hidden size. */
export interface RaceContestant {
  readonly unit: GridUnit;
  readonly hiddenSize: number;
}

/** What a race needs: the task (prepared once), its budget, the contestants, and the race's id. */
export interface SpeedRaceRequest {
  readonly task: PreparedTask;
  readonly budget: Budget;
  readonly contestants: readonly RaceContestant[];
  /** Stored with every timing so that entries pair only with entries of the same race. */
  readonly race: string;
}

/**
 * Times a task's models interleaved in rounds ({@link raceSpeed} is the real one; tests inject fakes). Returns the
 * timing of each contestant by unit key, or an empty map when the task cannot be raced.
 */
export type SpeedRacer = (request: SpeedRaceRequest) => Promise<ReadonlyMap<string, PairedTiming>>;

async function firstBatch(task: RecurrentTask): Promise<Batch> {
  for await (const batch of task.trainData(0)) return batch;
  throw new Error('the training data yielded no batch');
}

const cloneBatch = (b: Batch): Batch => ({
  x: tf.clone(b.x),
  y: tf.clone(b.y),
  ...(b.lengths ? { lengths: tf.clone(b.lengths) } : {}),
  ...(b.mask ? { mask: tf.clone(b.mask) } : {}),
});

/** The same batch `n` times, cloned (fit disposes each batch it takes). */
function repeated(batch: Batch, n: number): Dataset<Batch> {
  return {
    size: n,
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < n; i++) yield cloneBatch(batch);
    },
  };
}

/**
 * The real {@link SpeedRacer}: for a recurrent task trained through `fit` (a task with its own speed phase, such as
 * an encoder–decoder, is not raced), one model per contestant (seed 0) trains on the task's first seed-0 batch
 * (the same for every model), and runs batch-1 inference on the task's sample input, in
 * {@link SPEED_RACE} rounds.
 */
export const raceSpeed: SpeedRacer = async ({ task, budget, contestants, race }) => {
  const timings = new Map<string, PairedTiming>();
  if (task.kind !== 'recurrent' || task.runSpeed !== undefined || contestants.length < 2) return timings;
  const batch = await firstBatch(task);
  const one = task.sampleInput(1);
  const models = contestants.map((c) => new SequenceModel(modelOptions(c.unit.model, task, c.hiddenSize, 0)));
  try {
    const steps = models.map((): number[] => []);
    const latencies = models.map((): number[] => []);
    const total = SPEED_RACE.warmupRounds + SPEED_RACE.rounds;
    for (let round = 0; round < total; round++) {
      for (let k = 0; k < models.length; k++) {
        // Rotating the order spreads "first after the previous round's last model" evenly over the models.
        const i = (round + k) % models.length;
        const model = models[i];
        if (model === undefined) continue;
        const stepMs = await timeSteps(model, task, batch, budget.learningRate);
        const latencyMs = await timeLatency(model, one);
        if (round < SPEED_RACE.warmupRounds) continue;
        steps[i]?.push(stepMs);
        latencies[i]?.push(latencyMs);
      }
    }
    contestants.forEach((c, i) => {
      timings.set(unitKey(c.unit), { race, trainStepMs: steps[i] ?? [], inferLatencyMs: latencies[i] ?? [] });
    });
    return timings;
  } finally {
    for (const model of models) model.dispose();
    tf.dispose([batch.x, batch.y, batch.lengths ?? [], batch.mask ?? [], one.x, one.lengths ?? []]);
  }
};

/** Median ms of {@link SPEED_RACE}.stepsPerRound training steps, after one untimed step. */
async function timeSteps(model: SequenceModel, task: RecurrentTask, batch: Batch, learningRate: number): Promise<number> {
  const times: number[] = [];
  let last = 0;
  await fit(model, repeated(batch, SPEED_RACE.stepsPerRound + 1), {
    steps: SPEED_RACE.stepsPerRound + 1,
    loss: task.loss,
    learningRate,
    clipNorm: 1,
    progress: 'none',
    callbacks: {
      onBatchEnd: (logs) => {
        const now = performance.now();
        if (logs.step > 1) times.push(now - last);
        last = now;
      },
    },
  });
  return median(times);
}

/** Median ms of {@link SPEED_RACE}.latencyCalls batch-1 forward passes. */
async function timeLatency(model: SequenceModel, input: { readonly x: tf.Tensor; readonly lengths?: tf.Tensor1D }): Promise<number> {
  const predict = predictor(model);
  const times: number[] = [];
  for (let i = 0; i < SPEED_RACE.latencyCalls; i++) {
    const start = performance.now();
    const out = predict(input.x, input.lengths);
    await out.data();
    out.dispose();
    times.push(performance.now() - start);
  }
  return median(times);
}
