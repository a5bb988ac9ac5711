import { ArgumentError, Rng } from '@gated/tensor';
import { checkFractions, type SplitFractions } from './contiguous-split.js';

/** Example indices of each split. */
export interface SplitIndices {
  readonly train: number[];
  readonly validation: number[];
  readonly test: number[];
}

/** Default classification split: 80% / 10% / 10%. */
export const DEFAULT_CLASSIFICATION_SPLIT: SplitFractions = { train: 0.8, validation: 0.1, test: 0.1 };

/**
 * A seeded stratified split: each class's examples are shuffled (from `new Rng(seed).fork(class)`) and cut by
 * `fractions`, so every split has the classes in the same proportions as the whole (within one example per class).
 * Indices in each split are sorted.
 *
 * @example
 * const { train, validation, test } = stratifiedSplit(labelIds, { train: 0.8, validation: 0.1, test: 0.1 }, 42);
 */
export function stratifiedSplit(labels: ArrayLike<number>, fractions: SplitFractions = DEFAULT_CLASSIFICATION_SPLIT, seed = 0): SplitIndices {
  checkFractions(fractions);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (c === undefined || !Number.isInteger(c)) throw new ArgumentError(`labels[${i}]`, 'an integer class id', String(c));
    let list = byClass.get(c);
    if (list === undefined) byClass.set(c, (list = []));
    list.push(i);
  }
  const root = new Rng(seed);
  const out: SplitIndices = { train: [], validation: [], test: [] };
  for (const [c, list] of [...byClass].sort(([a], [b]) => a - b)) {
    const members = root.fork(c).shuffle(list);
    const n = members.length;
    const a = Math.round(n * fractions.train);
    const b = Math.round(n * (fractions.train + fractions.validation));
    out.train.push(...members.slice(0, a));
    out.validation.push(...members.slice(a, b));
    out.test.push(...members.slice(b));
  }
  for (const k of ['train', 'validation', 'test'] as const) out[k].sort((x, y) => x - y);
  return out;
}
