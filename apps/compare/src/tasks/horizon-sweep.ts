import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '@gated/tensor';
import { HORIZON_TASK_IDS, type HorizonTaskId, type TaskId } from '../grid.js';
import type { Budget } from '../results.js';
import { generateAddingProblem } from './adding-problem.js';
import { memoryAdding } from './memory-adding.js';
import type { RecurrentTask, TaskDefinition } from './task.js';

/**
 * "Solves" in the memory-horizon sweep: test MSE below this fraction of the mean predictor's (which always answers
 * 1, the expected sum, and scores Var(U₁ + U₂) = 1/6). 0.1 means the model explains over 90% of the variance a
 * model without memory cannot.
 */
export const SOLVED_FRACTION = 0.1;

/** The sequence length of a horizon task (`memory-adding-t200` → 200). */
export function horizonLength(task: TaskId): number {
  const match = /^memory-adding-t(\d+)$/.exec(task);
  if (!match) throw new ArgumentError('task', 'a memory-horizon task id memory-adding-t<T>', task);
  return Number(match[1]);
}

/** One example of the adding problem at the task's length with its two marked steps, for the gate heatmap. */
export interface MarkedExample {
  /** [1, T, 2]. The caller disposes it. */
  readonly x: tf.Tensor3D;
  /** The two marked time steps, in order. */
  readonly marks: readonly [number, number];
}

/** One held-out example (seed 13, outside training and test streams) with its marked steps. */
export function markedExample(seqLen: number): MarkedExample {
  const { x } = generateAddingProblem({ n: 1, seqLen, seed: 13 });
  const marks: number[] = [];
  for (let t = 0; t < seqLen; t++) if (x[2 * t + 1] === 1) marks.push(t);
  const [first, second] = marks;
  if (first === undefined || second === undefined) throw new ArgumentError('marks', 'two marked steps', `${marks.length}`);
  return { x: tf.tensor3d(x, [1, seqLen, 2]), marks: [first, second] };
}

/** Budgets per length: the same optimizer and model everywhere; steps grow more slowly than T (cost is ∝ T). */
function budgetsAt(seqLen: number): TaskDefinition['budgets'] {
  const steps = seqLen <= 50 ? 600 : seqLen <= 100 ? 500 : seqLen <= 200 ? 400 : 300;
  const common = { batchSize: 32, learningRate: 0.005, maxEvalExamples: 0, curvePoints: 5 };
  return {
    quick: { ...common, hiddenSize: 16, steps: 20, seqLen: Math.max(10, seqLen / 10), curvePoints: 2 } satisfies Budget,
    default: { ...common, hiddenSize: 32, steps, seqLen } satisfies Budget,
  };
}

function horizonTask(id: HorizonTaskId, longest: boolean): TaskDefinition {
  const seqLen = horizonLength(id);
  return {
    ...memoryAdding,
    id,
    title: `Adding problem, T = ${seqLen}`,
    data: `generated as memory-adding at T = ${seqLen}: values U[0,1], one marker per half, target = the sum of the two marked values`,
    budgets: budgetsAt(seqLen),
    gradientFlowProbe: longest,
    async prepare(budget: Budget): Promise<RecurrentTask> {
      const task = await memoryAdding.prepare(budget);
      return { ...task, markedExample: () => markedExample(task.seqLen) };
    },
  };
}

/**
 * The memory-horizon sweep of the default suite: the adding problem at T = 50, 100, 200 and 400, each a task of
 * its own (so the runner, shards and parallel workers treat them like any task). The gradient-flow probe runs at
 * the longest T.
 */
export const HORIZON_TASKS: readonly TaskDefinition[] = HORIZON_TASK_IDS.map((id, i) => horizonTask(id, i === HORIZON_TASK_IDS.length - 1));
