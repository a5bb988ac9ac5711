import { Rng, assertInteger } from '@gated/tensor';
import type { AddingProblemData } from './adding-problem.js';

/**
 * The adding problem as Bai, Kolter & Koltun (2018, §4, and their `adding_problem/utils.py`) define it: an input
 * of length T and depth 2; channel 0 holds values drawn from U[0, 1], channel 1 is 0 except at two distinct
 * positions drawn uniformly from the whole sequence, marked 1; the target is the sum of the two marked values,
 * scored by MSE. (Unlike {@link generateAddingProblem}, the two markers are not one per half: both may sit early
 * or late.) Predicting the mean (1) scores Var(U₁ + U₂) = 1/6 ≈ 0.167.
 *
 * @example
 * const { x, y } = generateBaiAddingProblem({ n: 32, seqLen: 600, seed: 0 }); // x [32, 600, 2], y [32]
 */
export function generateBaiAddingProblem(options: { readonly n: number; readonly seqLen: number; readonly seed: number }): AddingProblemData {
  const { n, seqLen, seed } = options;
  assertInteger('n', n, 1);
  assertInteger('seqLen', seqLen, 2);
  const rng = new Rng(seed);
  const x = new Float32Array(n * seqLen * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * seqLen * 2;
    for (let t = 0; t < seqLen; t++) x[base + 2 * t] = rng.uniform();
    // Two distinct positions, uniform over all pairs (numpy's choice(seqLen, 2, replace=False)).
    const first = rng.int(seqLen);
    let second = rng.int(seqLen - 1);
    if (second >= first) second++;
    x[base + 2 * first + 1] = 1;
    x[base + 2 * second + 1] = 1;
    y[i] = x[base + 2 * first]! + x[base + 2 * second]!;
  }
  return { x, y, n, seqLen };
}
