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
  for (const [i, label] of Array.from(labels).entries()) {
    const members = byClass.get(label);
    if (members === undefined) byClass.set(label, [i]);
    else members.push(i);
  }
  // Each class's exact share of the sample, and its whole part as the first quota.
  const shares = [...byClass]
    .sort(([a], [b]) => a - b)
    .map(([label, members]) => {
      const exact = (size * members.length) / labels.length;
      return { label, members, exact, quota: Math.floor(exact) };
    });
  // Classes with no share yet first, then the largest remainders, until the sample is full.
  const order = [...shares].sort(
    (a, b) => Number(a.quota > 0) - Number(b.quota > 0) || b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || a.label - b.label,
  );
  let left = size - shares.reduce((s, c) => s + c.quota, 0);
  for (const share of order) {
    if (left === 0) break;
    if (share.quota < share.members.length) {
      share.quota += 1;
      left -= 1;
    }
  }
  // Shuffling a copy of the members draws what indexing them by rng.permutation(length) drew.
  const chosen = shares.flatMap(({ label, members, quota }) => rng.fork(label).shuffle([...members]).slice(0, quota));
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
