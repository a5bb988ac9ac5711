import { isHorizonTask } from './grid.js';
import type { RunEntry } from './results.js';
import type { ModelKind } from './sizing.js';
import { mean, std } from './stats.js';
import { SOLVED_FRACTION, horizonLength } from './tasks/horizon-sweep.js';

/** MSE of the mean predictor on the adding problem: it answers 1 and scores Var(U₁ + U₂) = 2 · 1/12. */
export const MEAN_PREDICTOR_MSE = 1 / 6;

/** The definition of "solves" printed with the horizon table. */
export const SOLVED_DEFINITION = `A model solves length T when its test MSE is below ${SOLVED_FRACTION * 100}% of the mean predictor's (${MEAN_PREDICTOR_MSE.toFixed(3)} = Var(U₁+U₂), the best a model without memory can do), i.e. MSE < ${(SOLVED_FRACTION * MEAN_PREDICTOR_MSE).toFixed(4)}. A seed's horizon is the longest T it solves (0 when none); the model's horizon is the longest T whose mean MSE over seeds is solved.`;

/** Whether an MSE on the adding problem counts as solved. */
export function solves(mse: number): boolean {
  return mse < SOLVED_FRACTION * MEAN_PREDICTOR_MSE;
}

/** One model's results along the sweep. */
export interface HorizonPoint {
  readonly seqLen: number;
  readonly task: RunEntry['task'];
  readonly mean: number;
  readonly std: number;
  /** Per-seed MSE, by seed number. */
  readonly bySeed: ReadonlyMap<number, number>;
  /** Seeds that solve this T out of those that ran. */
  readonly solvedSeeds: number;
  readonly seeds: number;
}

/** A model's memory horizon. */
export interface HorizonSummary {
  readonly model: ModelKind;
  /** Ascending in T. */
  readonly points: readonly HorizonPoint[];
  /** Longest T whose mean MSE is solved; 0 when none. */
  readonly horizon: number;
  /** Per seed (in seed order): the longest T that seed solves, 0 when none. */
  readonly seedHorizons: readonly number[];
  readonly seedNumbers: readonly number[];
}

/**
 * The memory horizon of every model (equal hidden size) that ran the sweep: MSE against T, and the longest T
 * solved by the mean and by each seed.
 */
export function memoryHorizons(runs: readonly RunEntry[]): HorizonSummary[] {
  const entries = runs.filter((r) => isHorizonTask(r.task) && r.sizing === 'equal-hidden');
  const models = [...new Set(entries.map((r) => r.model))];
  return models.map((model) => {
    const points = entries
      .filter((r) => r.model === model)
      .map((r): HorizonPoint => {
        const values = r.seeds.map((s) => s.metric);
        return {
          seqLen: horizonLength(r.task),
          task: r.task,
          mean: mean(values),
          std: std(values),
          bySeed: new Map(r.seeds.map((s) => [s.seed, s.metric])),
          solvedSeeds: values.filter(solves).length,
          seeds: values.length,
        };
      })
      .sort((a, b) => a.seqLen - b.seqLen);
    const seedNumbers = [...new Set(points.flatMap((p) => [...p.bySeed.keys()]))].sort((a, b) => a - b);
    const seedHorizons = seedNumbers.map((seed) => Math.max(0, ...points.filter((p) => solves(p.bySeed.get(seed) ?? Number.POSITIVE_INFINITY)).map((p) => p.seqLen)));
    const horizon = Math.max(0, ...points.filter((p) => solves(p.mean)).map((p) => p.seqLen));
    return { model, points, horizon, seedHorizons, seedNumbers };
  });
}

/**
 * The lengths at which two models differ in outcome — where not every seed of both solves and not every seed
 * of both fails — the lengths a "better on long dependencies" verdict is decided at.
 */
export function differingLengths(a: HorizonSummary, b: HorizonSummary): number[] {
  return a.points
    .filter((p) => {
      const q = b.points.find((x) => x.seqLen === p.seqLen);
      if (!q) return false;
      const allSolve = p.solvedSeeds === p.seeds && q.solvedSeeds === q.seeds;
      const allFail = p.solvedSeeds === 0 && q.solvedSeeds === 0;
      return !allSolve && !allFail;
    })
    .map((p) => p.seqLen);
}
