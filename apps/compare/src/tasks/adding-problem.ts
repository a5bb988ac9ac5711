import { Rng, assertInteger } from '@gated/tensor';

/** A batch of adding-problem sequences as flat arrays. */
export interface AddingProblemData {
  /** [n, seqLen, 2] row-major: channel 0 the value, channel 1 the marker (0 or 1). */
  readonly x: Float32Array;
  /** [n]: the sum of the two marked values. */
  readonly y: Float32Array;
  readonly n: number;
  readonly seqLen: number;
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997, experiment 4), in the form used by Le, Jaitly & Hinton
 * (2015) and Arjovsky et al. (2016): each step carries a value drawn from U[0, 1] and a marker; exactly one step
 * in the first half and one in the second half are marked, and the target is the sum of the two marked values.
 * Predicting the mean (1) scores MSE = Var(U₁ + U₂) = 1/6 ≈ 0.167, so a model must carry a value across at
 * least half the sequence to beat that.
 *
 * @example
 * const { x, y } = generateAddingProblem({ n: 32, seqLen: 100, seed: 0 });
 */
export function generateAddingProblem(options: AddingProblemOptions): AddingProblemData {
  return generateMarkedSums(options, (rng, seqLen) => {
    const half = Math.floor(seqLen / 2);
    const first = rng.int(half);
    return [first, half + rng.int(seqLen - half)];
  });
}

/** How many adding-problem sequences to generate, how long, from which seed. */
export interface AddingProblemOptions {
  readonly n: number;
  readonly seqLen: number;
  readonly seed: number;
}

/**
 * Adding-problem sequences whose two marked positions `mark` draws (after the sequence's values, from the same
 * generator): the variants differ only in where the markers may sit.
 */
export function generateMarkedSums(
  options: AddingProblemOptions,
  mark: (rng: Rng, seqLen: number) => readonly [first: number, second: number],
): AddingProblemData {
  const { n, seqLen, seed } = options;
  assertInteger('n', n, 1);
  assertInteger('seqLen', seqLen, 2);
  const rng = new Rng(seed);
  const x = new Float32Array(n * seqLen * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * seqLen * 2;
    for (let t = 0; t < seqLen; t++) x[base + 2 * t] = rng.uniform();
    const [first, second] = mark(rng, seqLen);
    x[base + 2 * first + 1] = 1;
    x[base + 2 * second + 1] = 1;
    y[i] = x[base + 2 * first]! + x[base + 2 * second]!;
  }
  return { x, y, n, seqLen };
}
