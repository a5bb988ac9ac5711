import * as tf from '@tensorflow/tfjs-core';
import { SequenceModel } from '@gated/cells';
import type { Batch, Dataset } from '@gated/tensor';
import { Adam, fit } from '@gated/trainer';
import { type GridUnit, unitKey } from './grid.js';
import { modelOptions, predictor } from './measure-seed.js';
import type { Budget, PairedTiming } from './results.js';
import type { PreparedTask, RecurrentTask } from './tasks/task.js';

/**
 * The paired speed design: every model of a task is timed in the same rounds, after warm-up rounds that are
 * discarded. A round is `repeats` passes over the models, in an order that rotates each round; in each pass every
 * model takes one training step (its optimizer's state kept across rounds) and one batch-1 forward pass, each timed
 * as CPU time of the process (all its threads) and as wall time. A model's value for the round is the minimum of its
 * `repeats` timings: other programs only ever add time, so the fastest of a few back-to-back repetitions is the one
 * least disturbed. Rounds are the pairs of the paired test (paired-ratio.ts); the models' timings of a round are
 * milliseconds apart, so they share the machine's load.
 */
export const SPEED_RACE = { warmupRounds: 3, rounds: 16, repeats: 3 } as const;

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
 * an encoder–decoder, is not raced), one model per contestant (seed 0) trains with Adam at the budget's learning
 * rate on the task's first seed-0 batch (the same for every model), and runs batch-1 inference on the task's sample
 * input, in {@link SPEED_RACE} rounds.
 */
export const raceSpeed: SpeedRacer = async ({ task, budget, contestants, race }) => {
  const timings = new Map<string, PairedTiming>();
  if (task.kind !== 'recurrent' || task.runSpeed !== undefined || contestants.length < 2) return timings;
  const batch = await firstBatch(task);
  const one = task.sampleInput(1);
  const racers = contestants.map((c) => ({
    model: new SequenceModel(modelOptions(c.unit.model, task, c.hiddenSize, 0)),
    optimizer: new Adam({ learningRate: budget.learningRate }),
    step: { cpu: [] as number[], wall: [] as number[] },
    latency: { cpu: [] as number[], wall: [] as number[] },
  }));
  try {
    for (let round = 0; round < SPEED_RACE.warmupRounds + SPEED_RACE.rounds; round++) {
      const steps = racers.map((): Timing[] => []);
      const latencies = racers.map((): Timing[] => []);
      for (let pass = 0; pass < SPEED_RACE.repeats; pass++) {
        for (let k = 0; k < racers.length; k++) {
          // Rotating the order spreads "right after another model" evenly over the models.
          const i = (round + k) % racers.length;
          const racer = racers[i];
          if (racer === undefined) continue;
          steps[i]?.push(await timeStep(racer.model, racer.optimizer, task, batch));
          latencies[i]?.push(await timeLatency(racer.model, one));
        }
      }
      if (round < SPEED_RACE.warmupRounds) continue;
      racers.forEach((r, i) => {
        for (const [into, timings] of [[r.step, steps[i] ?? []], [r.latency, latencies[i] ?? []]] as const) {
          into.cpu.push(Math.min(...timings.map((t) => t.cpu)));
          into.wall.push(Math.min(...timings.map((t) => t.wall)));
        }
      });
    }
    contestants.forEach((c, i) => {
      const r = racers[i];
      if (r) {
        timings.set(unitKey(c.unit), {
          race,
          trainStepCpuMs: r.step.cpu,
          inferLatencyCpuMs: r.latency.cpu,
          trainStepMs: r.step.wall,
          inferLatencyMs: r.latency.wall,
        });
      }
    });
    return timings;
  } finally {
    for (const r of racers) {
      r.model.dispose();
      r.optimizer.dispose();
    }
    tf.dispose([batch.x, batch.y, batch.lengths ?? [], batch.mask ?? [], one.x, one.lengths ?? []]);
  }
};

/** CPU and wall ms of one timed piece of work. */
interface Timing {
  readonly cpu: number;
  readonly wall: number;
}

/** Starts a stopwatch of CPU time (this process, every thread) and wall time; calling the result reads both in ms. */
function stopwatch(): () => Timing {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  return () => {
    const used = process.cpuUsage(cpu);
    return { cpu: (used.user + used.system) / 1000, wall: performance.now() - wall };
  };
}

/** One training step (clipped to global norm 1, as the tasks train), from the start of training to its end. */
async function timeStep(model: SequenceModel, optimizer: Adam, task: RecurrentTask, batch: Batch): Promise<Timing> {
  let read: (() => Timing) | null = null;
  let timing: Timing | null = null;
  await fit(model, repeated(batch, 1), {
    steps: 1,
    loss: task.loss,
    optimizer,
    clipNorm: 1,
    progress: 'none',
    callbacks: {
      onTrainBegin: () => {
        read = stopwatch();
      },
      onBatchEnd: () => {
        timing = read?.() ?? null;
      },
    },
  });
  if (timing === null) throw new Error('fit ran no training step');
  return timing;
}

/** One batch-1 forward pass, output read back. */
async function timeLatency(model: SequenceModel, input: { readonly x: tf.Tensor; readonly lengths?: tf.Tensor1D }): Promise<Timing> {
  const read = stopwatch();
  const out = predictor(model)(input.x, input.lengths);
  await out.data();
  out.dispose();
  return read();
}
