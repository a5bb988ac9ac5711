import { type Rng, assertInteger } from '@gated/tensor';

/** A batch of adding-problem sequences as flat arrays. */
export interface AddingBatch {
  /** [n, seqLen, 2] row-major: channel 0 the value, channel 1 the marker (0 or 1). */
  readonly x: Float32Array;
  /** [n]: the sum of the two marked values. */
  readonly y: Float32Array;
  readonly n: number;
  readonly seqLen: number;
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997, experiment 4, in the form of Le, Jaitly & Hinton 2015):
 * each step carries a value from U[0, 1] and a marker; one step in the first half and one in the second half
 * are marked, and the target is the sum of the two marked values. Predicting the mean (1) scores
 * MSE = 1/6 ≈ 0.167, so a model beats that only by carrying a value across half the sequence.
 */
export function addingBatch(rng: Rng, n: number, seqLen: number): AddingBatch {
  assertInteger('n', n, 1);
  assertInteger('seqLen', seqLen, 2);
  const x = new Float32Array(n * seqLen * 2);
  const y = new Float32Array(n);
  const half = Math.floor(seqLen / 2);
  for (let i = 0; i < n; i++) {
    const base = i * seqLen * 2;
    for (let t = 0; t < seqLen; t++) x[base + 2 * t] = rng.uniform();
    const first = rng.int(half);
    const second = half + rng.int(seqLen - half);
    x[base + 2 * first + 1] = 1;
    x[base + 2 * second + 1] = 1;
    y[i] = (x[base + 2 * first] ?? 0) + (x[base + 2 * second] ?? 0);
  }
  return { x, y, n, seqLen };
}
