import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '@gated/tensor';
import { TokenSequenceError } from './errors.js';

/** Sequences of token ids, one per row. */
export type TokenRows = readonly (readonly number[])[];

/**
 * Checks every id of `rows` is an integer in [min, vocabSize) and no row is empty, then pads them with 0 into
 * int32 [B, maxLen] (`extra` more columns of padding at the end).
 */
export function padRows(argument: string, rows: TokenRows, min: number, vocabSize: number, extra = 0): { ids: tf.Tensor2D; lengths: number[] } {
  if (!Array.isArray(rows) || rows.length === 0) throw new ArgumentError(argument, 'at least one sequence of token ids', Array.isArray(rows) ? 'an empty list' : String(rows));
  const lengths = rows.map((row, b) => {
    if (!Array.isArray(row)) throw new TokenSequenceError(argument, b, -1, 'an array of token ids', String(row));
    if (row.length === 0) throw new TokenSequenceError(argument, b, -1, 'at least one token', 'an empty sequence');
    row.forEach((id, t) => {
      if (!Number.isInteger(id) || id < min || id >= vocabSize) throw new TokenSequenceError(argument, b, t, `an id in ${min}..${vocabSize - 1}`, String(id));
    });
    return row.length;
  });
  const width = Math.max(...lengths) + extra;
  const data = new Int32Array(rows.length * width);
  rows.forEach((row, b) => {
    data.set(row, b * width);
  });
  return { ids: tf.tensor2d(data, [rows.length, width], 'int32'), lengths };
}
