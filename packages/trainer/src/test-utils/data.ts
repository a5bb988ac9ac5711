import { type Example, Rng } from '@gated/tensor';

/** Ragged 2-feature sequences; the class is whether feature 0 sums above 0. */
export function signExamples(count: number, seed: number): Example[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const steps = 3 + rng.int(5);
    const x = Array.from({ length: steps }, () => [rng.normal(), rng.normal()]);
    return { x, y: x.reduce((s, row) => s + row[0]!, 0) > 0 ? 1 : 0 };
  });
}

/** A token stream with a repeating pattern, for language-model tests. */
export function patternTokens(length: number): number[] {
  const pattern = [0, 1, 2, 3, 2, 1];
  return Array.from({ length }, (_, i) => pattern[i % pattern.length]!);
}
