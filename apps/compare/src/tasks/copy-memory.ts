import { Rng, assertInteger } from '@gated/tensor';

/** Symbols of the copy-memory task: 0 blank, 1..8 the digits to remember, 9 the marker. */
export const COPY_MEMORY_SYMBOLS = 10;
/** The marker symbol (its first occurrence is the delimiter "start recalling now"). */
export const COPY_MEMORY_MARKER = 9;

/** A batch of copy-memory sequences as flat symbol arrays. */
export interface CopyMemoryData {
  /** [n, seqLen] input symbols (0..9). */
  readonly x: Int32Array;
  /** [n, seqLen] target symbols (0..8): 0 everywhere except the last `memLength` steps. */
  readonly y: Int32Array;
  readonly n: number;
  /** T + 2·memLength. */
  readonly seqLen: number;
  readonly delay: number;
  readonly memLength: number;
}

/**
 * The copy-memory task exactly as Bai, Kolter & Koltun (2018, "An Empirical Evaluation of Generic Convolutional
 * and Recurrent Networks for Sequence Modeling", §4 and their `copy_memory/utils.py`): each input has length
 * T + 20; the first 10 symbols are digits drawn uniformly from 1..8, then T − 1 blanks (0), then 11 markers (9)
 * — the first marker is the delimiter. The target is 0 for the first T + 10 steps and then repeats the 10 digits.
 * The loss is the cross-entropy over all T + 20 steps (10 classes). `delay` is their T, `memLength` their 10.
 *
 * A model that outputs blanks until the delimiter and then guesses uniformly over 1..8 scores
 * {@link copyMemoryBaseline} = 10·ln 8 / (T + 20) — 0.0204 at T = 1000, the LSTM figure of their Table 1.
 *
 * @example
 * const { x, y, seqLen } = generateCopyMemory({ n: 32, delay: 1000, seed: 0 }); // seqLen 1020
 */
export function generateCopyMemory(options: { readonly n: number; readonly delay: number; readonly seed: number; readonly memLength?: number }): CopyMemoryData {
  const { n, delay, seed } = options;
  const memLength = options.memLength ?? 10;
  assertInteger('n', n, 1);
  assertInteger('delay', delay, 1);
  assertInteger('memLength', memLength, 1);
  const seqLen = delay + 2 * memLength;
  const rng = new Rng(seed);
  const x = new Int32Array(n * seqLen);
  const y = new Int32Array(n * seqLen);
  for (let i = 0; i < n; i++) {
    const row = i * seqLen;
    for (let j = 0; j < memLength; j++) {
      const digit = 1 + rng.int(8);
      x[row + j] = digit;
      y[row + delay + memLength + j] = digit;
    }
    // x: digits, T − 1 blanks, then memLength + 1 markers.
    x.fill(COPY_MEMORY_MARKER, row + memLength + delay - 1, row + seqLen);
  }
  return { x, y, n, seqLen, delay, memLength };
}

/** Cross-entropy per step (nats) of the memoryless strategy: blanks, then a uniform guess over the 8 digits. */
export function copyMemoryBaseline(delay: number, memLength = 10): number {
  return (memLength * Math.log(8)) / (delay + 2 * memLength);
}
