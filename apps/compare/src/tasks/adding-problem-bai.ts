import { type AddingProblemData, type AddingProblemOptions, generateMarkedSums } from './adding-problem.js';

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
export function generateBaiAddingProblem(options: AddingProblemOptions): AddingProblemData {
  return generateMarkedSums(options, (rng, seqLen) => {
    // Two distinct positions, uniform over all pairs (numpy's choice(seqLen, 2, replace=False)).
    const first = rng.int(seqLen);
    const second = rng.int(seqLen - 1);
    return [first, second >= first ? second + 1 : second];
  });
}
