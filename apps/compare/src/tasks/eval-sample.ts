import { Rng } from '@gated/tensor';

/** Seed of every evaluation sample: the same examples for every model and seed of a run. */
export const EVAL_SAMPLE_SEED = 0;

/** The generator of one evaluation sample, e.g. `sampleRng('text-classify/final')`. */
export function sampleRng(purpose: string): Rng {
  return new Rng(EVAL_SAMPLE_SEED).fork(purpose);
}

/**
 * A stratified sample of `size` indices of `labels` (sorted), drawn from `rng`: every class gets its share of the sample
 * (largest remainder, at least one example of each class present when `size` allows), drawn at random within
 * the class. `size` ≥ the number of labels returns every index.
 */
export function stratifiedSample(labels: ArrayLike<number>, size: number, rng: Rng): number[] {
  if (size >= labels.length) return Array.from({ length: labels.length }, (_, i) => i);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const members = byClass.get(labels[i]!);
    if (members === undefined) byClass.set(labels[i]!, [i]);
    else members.push(i);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const quota = new Map(classes.map((c) => [c, Math.floor((size * byClass.get(c)!.length) / labels.length)]));
  // Classes with no share yet first, then the largest remainders, until the sample is full.
  const order = [...classes].sort((a, b) => {
    const ra = (size * byClass.get(a)!.length) / labels.length;
    const rb = (size * byClass.get(b)!.length) / labels.length;
    return Number(quota.get(a)! > 0) - Number(quota.get(b)! > 0) || rb - Math.floor(rb) - (ra - Math.floor(ra)) || a - b;
  });
  let left = size - [...quota.values()].reduce((s, q) => s + q, 0);
  for (const c of order) {
    if (left === 0) break;
    if (quota.get(c)! < byClass.get(c)!.length) {
      quota.set(c, quota.get(c)! + 1);
      left -= 1;
    }
  }
  const chosen = classes.flatMap((c) => {
    const members = byClass.get(c)!;
    return rng.fork(c).permutation(members.length).slice(0, quota.get(c)!).map((k) => members[k]!);
  });
  return chosen.sort((a, b) => a - b);
}

/** A random sample (from `rng`) of `size` of the indices 0…count−1 (sorted); all of them when `size` ≥ `count`. */
export function randomSample(count: number, size: number, rng: Rng): number[] {
  if (size >= count) return Array.from({ length: count }, (_, i) => i);
  return rng.permutation(count).slice(0, size).sort((a, b) => a - b);
}

/** `items` in consecutive groups of at most `size`. */
export function inGroups<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}
