import { type Example, Rng } from '@gated/tensor';

/** Ragged 2-feature sequences; the class is whether feature 0 sums above 0. */
export function signExamples(count: number, seed: number): Example[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const steps = 3 + rng.int(5);
    const x = Array.from({ length: steps }, (): [number, number] => [rng.normal(), rng.normal()]);
    return { x, y: x.reduce((s, [first]) => s + first, 0) > 0 ? 1 : 0 };
  });
}

/** A token stream with a repeating pattern, for language-model tests. */
export function patternTokens(length: number): number[] {
  const pattern = [0, 1, 2, 3, 2, 1];
  return Array.from({ length: Math.ceil(length / pattern.length) }, () => pattern)
    .flat()
    .slice(0, length);
}
