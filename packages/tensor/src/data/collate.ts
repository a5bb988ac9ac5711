import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from './dataset.js';
import { ArgumentError } from '../check/errors.js';
import { type OptionSpec, checkOptions, describeValue } from '../check/options.js';

/**
 * One example before batching. `x` is a sequence: rows of features `[T][F]` (float), or a flat `[T]` of token
 * ids (int32; or one float feature per step with `xDtype: 'float32'`). `y` is a class id or scalar, a vector,
 * or — with `perStepTargets` — one target per time step (`[T]` ids/values or `[T][D]` rows).
 */
export interface Example {
  readonly x: ArrayLike<number> | readonly ArrayLike<number>[];
  readonly y: number | ArrayLike<number> | readonly ArrayLike<number>[];
}

/** How examples become a {@link Batch}. */
export interface CollateOptions {
  /** `y` holds one target per time step and is padded like `x` (with a `mask`). Default false. */
  readonly perStepTargets?: boolean;
  /** dtype of `y`: `int32` for class ids / tokens (cross-entropy), `float32` for regression. Default 'float32'. */
  readonly yDtype?: 'float32' | 'int32';
  /** dtype of a flat `[T]` x: `int32` token ids → x `[B,T]`, or `float32` one feature → x `[B,T,1]`. Default 'int32'. */
  readonly xDtype?: 'float32' | 'int32';
  /** Value written into padded positions of `x` and `y`. Default 0. */
  readonly padValue?: number;
}

/** The keys of {@link CollateOptions} and what they hold (shared with the batching datasets). */
export const COLLATE_SPEC = {
  perStepTargets: 'boolean',
  yDtype: ['float32', 'int32'],
  xDtype: ['float32', 'int32'],
  padValue: 'number',
} as const satisfies OptionSpec;

/** Defaults of {@link CollateOptions}. */
export const COLLATE_DEFAULTS = { perStepTargets: false, yDtype: 'float32', xDtype: 'int32', padValue: 0 } as const;

const isNonEmpty = <T>(list: readonly T[]): list is readonly [T, ...T[]] => list.length > 0;

const isRows = (v: Example['x'] | Example['y']): v is readonly ArrayLike<number>[] =>
  typeof v === 'object' && v.length > 0 && typeof (v as ArrayLike<unknown>)[0] === 'object';

/**
 * Pads a list of variable-length examples into one {@link Batch}: `x` `[B, Tmax, F]` (or `[B, Tmax]` token
 * ids), `y`, and — when lengths differ — `lengths` `[B]` (int32) and, for per-step targets, `mask` `[B, Tmax]`
 * (1 = real step, 0 = padding). Padding goes at the end of each sequence. The caller owns the tensors.
 *
 * @example
 * const batch = collate([{ x: [[1], [2], [3]], y: 0 }, { x: [[4]], y: 1 }], { yDtype: 'int32' });
 * // batch.x: [2, 3, 1], batch.lengths: [3, 1]
 */
export function collate(examples: readonly Example[], options: CollateOptions = {}): Batch {
  checkOptions('collate', options, COLLATE_SPEC);
  const packed = packExamples(examples, options);
  const x = tf.tensor(packed.x.data, packed.x.shape, packed.x.dtype);
  const y = tf.tensor(packed.y.data, packed.y.shape, packed.y.dtype);
  if (packed.lengths === undefined) return { x, y };
  const batch: Batch = { x, y, lengths: tf.tensor1d(packed.lengths, 'int32') };
  return packed.mask === undefined ? batch : { ...batch, mask: tf.tensor2d(packed.mask, [packed.lengths.length, packed.x.shape[1]]) };
}

/** A tensor's contents before it becomes a tf tensor. */
interface PackedArray<Shape extends number[] = number[]> {
  readonly data: Float32Array | Int32Array;
  readonly shape: Shape;
  readonly dtype: 'float32' | 'int32';
}

/** What {@link collate} builds, as plain arrays; validates the examples without touching tfjs. Internal: datasets share it. */
export function packExamples(
  examples: readonly Example[],
  options: CollateOptions = {},
): { x: PackedArray<[batch: number, steps: number, ...features: number[]]>; y: PackedArray; lengths?: Int32Array; mask?: Float32Array } {
  checkOptions('packExamples', options, COLLATE_SPEC);
  if (!Array.isArray(examples)) throw new ArgumentError('examples', 'an array of { x, y } examples', describeValue(examples));
  const opts = { ...COLLATE_DEFAULTS, ...options };
  if (!isNonEmpty(examples)) throw new ArgumentError('examples', 'at least one example', 'an empty list');
  const [first] = examples;
  const rows = isRows(first.x);
  const features = rows ? ((first.x as readonly ArrayLike<number>[])[0]?.length ?? 0) : 1;
  const lengths = examples.map((e, i) => {
    const n = e.x.length;
    if (n === 0) throw new ArgumentError(`examples[${i}].x`, 'a sequence of at least one step', 'an empty sequence');
    if (isRows(e.x) !== rows) {
      throw new ArgumentError(`examples[${i}].x`, rows ? 'rows of features [T][F] like examples[0]' : 'a flat [T] sequence like examples[0]', rows ? 'a flat sequence' : 'rows');
    }
    return n;
  });
  const maxLength = Math.max(...lengths);
  const batchSize = examples.length;
  const ragged = lengths.some((n) => n !== maxLength);
  const xFloat = rows || opts.xDtype === 'float32';

  const xData = xFloat ? new Float32Array(batchSize * maxLength * features) : new Int32Array(batchSize * maxLength);
  if (opts.padValue !== 0) xData.fill(opts.padValue);
  examples.forEach((e, b) => {
    const base = b * maxLength * features;
    if (rows) {
      (e.x as readonly ArrayLike<number>[]).forEach((row, t) => {
        if (row.length !== features) throw new ArgumentError(`examples[${b}].x[${t}]`, `${features} features`, `${row.length}`);
        for (let f = 0; f < features; f++) xData[base + t * features + f] = row[f]!;
      });
    } else {
      const seq = e.x as ArrayLike<number>;
      for (let t = 0; t < seq.length; t++) xData[base + t] = seq[t]!;
    }
  });
  const xShape: [number, number, ...number[]] = rows || opts.xDtype === 'float32' ? [batchSize, maxLength, features] : [batchSize, maxLength];

  const y = opts.perStepTargets ? collatePerStep(examples, lengths, maxLength, opts) : collateWhole(examples, opts);
  const x: PackedArray<[number, number, ...number[]]> = { data: xData, shape: xShape, dtype: xFloat ? 'float32' : 'int32' };
  if (!ragged) return { x, y };
  const packedLengths = Int32Array.from(lengths);
  if (!opts.perStepTargets) return { x, y, lengths: packedLengths };
  const mask = new Float32Array(batchSize * maxLength);
  lengths.forEach((n, b) => {
    mask.fill(1, b * maxLength, b * maxLength + n);
  });
  return { x, y, lengths: packedLengths, mask };
}

function targetArray(dtype: 'float32' | 'int32', size: number): Float32Array | Int32Array {
  return dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
}

function collateWhole(examples: readonly [Example, ...Example[]], opts: Required<CollateOptions>): PackedArray {
  const first = examples[0].y;
  if (typeof first === 'number') {
    const data = targetArray(opts.yDtype, examples.length);
    examples.forEach((e, b) => {
      if (typeof e.y !== 'number') throw new ArgumentError(`examples[${b}].y`, 'a number like examples[0].y', 'an array');
      data[b] = e.y;
    });
    return { data, shape: [examples.length], dtype: opts.yDtype };
  }
  if (isRows(first)) {
    throw new ArgumentError('examples[0].y', 'a number or a vector (set perStepTargets for one target per step)', 'rows [T][D]');
  }
  const dim = first.length;
  const data = targetArray(opts.yDtype, examples.length * dim);
  examples.forEach((e, b) => {
    const v = e.y as ArrayLike<number>;
    if (typeof e.y === 'number' || isRows(e.y) || v.length !== dim) {
      throw new ArgumentError(`examples[${b}].y`, `a vector of ${dim} values like examples[0].y`, typeof e.y === 'number' ? 'a number' : `length ${v.length}`);
    }
    for (let d = 0; d < dim; d++) data[b * dim + d] = v[d]!;
  });
  return { data, shape: [examples.length, dim], dtype: opts.yDtype };
}

function collatePerStep(examples: readonly [Example, ...Example[]], lengths: readonly number[], maxLength: number, opts: Required<CollateOptions>): PackedArray {
  const first = examples[0].y;
  if (typeof first === 'number') throw new ArgumentError('examples[0].y', 'one target per time step (perStepTargets)', 'a number');
  const rows = isRows(first);
  const dim = rows ? ((first as readonly ArrayLike<number>[])[0]?.length ?? 0) : 1;
  const data = targetArray(opts.yDtype, examples.length * maxLength * dim);
  if (opts.padValue !== 0) data.fill(opts.padValue);
  examples.forEach((e, b) => {
    const y = e.y;
    if (typeof y === 'number' || y.length !== lengths[b] || isRows(y) !== rows) {
      const actual = typeof y === 'number' ? 'a number' : `${y.length} steps${isRows(y) !== rows ? ' of another kind' : ''}`;
      throw new ArgumentError(`examples[${b}].y`, `${lengths[b]} per-step targets (as long as x, like examples[0].y)`, actual);
    }
    const base = b * maxLength * dim;
    for (let t = 0; t < y.length; t++) {
      if (rows) {
        const row = (y as readonly ArrayLike<number>[])[t]!;
        if (row.length !== dim) throw new ArgumentError(`examples[${b}].y[${t}]`, `${dim} values`, `${row.length}`);
        for (let d = 0; d < dim; d++) data[base + t * dim + d] = row[d]!;
      } else {
        data[base + t] = (y as ArrayLike<number>)[t]!;
      }
    }
  });
  return { data, shape: rows ? [examples.length, maxLength, dim] : [examples.length, maxLength], dtype: opts.yDtype };
}
