import { ArgumentError, assertNumberInRange, assertObject, checkOptions } from '@gated/tensor';
import { SPLIT_FRACTIONS_SPEC } from './option-specs.js';

/** Fractions of a split; they must add up to 1 (validation or test may be 0). */
export interface SplitFractions {
  readonly train: number;
  readonly validation: number;
  readonly test: number;
}

/** Default split: 90% / 5% / 5%. */
export const DEFAULT_LM_SPLIT: SplitFractions = { train: 0.9, validation: 0.05, test: 0.05 };

/** Half-open `[start, end)` ranges of each split. */
export interface SplitRanges {
  readonly train: readonly [number, number];
  readonly validation: readonly [number, number];
  readonly test: readonly [number, number];
}

/** Checks that `fractions` are in [0, 1] and add up to 1. */
export function checkFractions(fractions: SplitFractions): void {
  assertObject('split', fractions, 'fractions { train, validation, test }');
  checkOptions('split', fractions, SPLIT_FRACTIONS_SPEC);
  for (const k of ['train', 'validation', 'test'] as const) assertNumberInRange(`split.${k}`, fractions[k], 0, 1);
  const sum = fractions.train + fractions.validation + fractions.test;
  if (Math.abs(sum - 1) > 1e-9) throw new ArgumentError('split', 'train + validation + test = 1', String(sum));
}

/** The contiguous ranges of a sequence of `length` items cut train | validation | test, in that order. */
export function contiguousRanges(length: number, fractions: SplitFractions = DEFAULT_LM_SPLIT): SplitRanges {
  checkFractions(fractions);
  const a = Math.round(length * fractions.train);
  const b = Math.round(length * (fractions.train + fractions.validation));
  return { train: [0, a], validation: [a, b], test: [b, length] };
}

/**
 * Cuts a text (or a token id array) into contiguous train | validation | test pieces — never shuffled windows, so
 * no held-out text also appears inside a training window. A string is never cut inside a surrogate pair.
 *
 * @example
 * const { train, validation, test } = contiguousSplit(text, { train: 0.9, validation: 0.05, test: 0.05 });
 */
export function contiguousSplit<T extends string | Int32Array>(
  data: T,
  fractions: SplitFractions = DEFAULT_LM_SPLIT,
): { train: T; validation: T; test: T; ranges: SplitRanges } {
  let r = contiguousRanges(data.length, fractions);
  if (typeof data === 'string') {
    const fix = (i: number): number => (i > 0 && i < data.length && data.charCodeAt(i) >= 0xdc00 && data.charCodeAt(i) < 0xe000 ? i + 1 : i);
    const a = fix(r.train[1]);
    const b = Math.max(a, fix(r.validation[1]));
    r = { train: [0, a], validation: [a, b], test: [b, data.length] };
  }
  const cut = (range: readonly [number, number]): T => data.slice(range[0], range[1]) as T;
  return { train: cut(r.train), validation: cut(r.validation), test: cut(r.test), ranges: r };
}
