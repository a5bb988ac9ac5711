import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertObject, assertTensor, describeValue } from '@gated/tensor';
import { StateDictError } from './errors.js';
import type { TorchStateDictInput } from './types.js';

type TorchStateDictEntry = TorchStateDictInput[string];

/** An entry must be a live tf.Tensor or `{ shape: number[], data: Float32Array | number[] }`. */
function checkEntry(key: string, entry: unknown): void {
  if (entry instanceof tf.Tensor) {
    assertTensor(`state dict "${key}"`, entry);
    return;
  }
  const e = entry as { shape?: unknown; data?: unknown } | null;
  const ok =
    typeof e === 'object' &&
    e !== null &&
    Array.isArray(e.shape) &&
    e.shape.every((d) => Number.isSafeInteger(d) && d >= 0) &&
    (Array.isArray(e.data) || (ArrayBuffer.isView(e.data) && !(e.data instanceof DataView)));
  if (!ok) throw new ArgumentError(`state dict "${key}"`, 'a tf.Tensor or { shape: number[], data: Float32Array | number[] }', describeValue(entry));
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Checks `record` against the expected names and shapes (every key present, none extra, exact shapes) and
 * returns float32 tensors the caller owns. Throws {@link StateDictError} before creating anything.
 */
export function readStateDict(record: TorchStateDictInput, expected: Readonly<Record<string, readonly number[]>>): Record<string, tf.Tensor> {
  assertObject('state dict', record, 'a record of PyTorch-named tensors or { shape, data }');
  const checked: Array<readonly [string, TorchStateDictEntry]> = [];
  for (const [key, shape] of Object.entries(expected)) {
    const entry = record[key];
    if (entry === undefined) throw new StateDictError('missing', key, shape, null);
    checkEntry(key, entry);
    checked.push([key, entry]);
    const actual = entry.shape;
    if (!sameShape(actual, shape)) throw new StateDictError('shape', key, shape, [...actual]);
    if (!(entry instanceof tf.Tensor)) {
      const n = shape.reduce((a, b) => a * b, 1);
      if (entry.data.length !== n) throw new StateDictError('shape', key, shape, [entry.data.length]);
    }
  }
  for (const [key, entry] of Object.entries(record)) {
    if (Object.hasOwn(expected, key)) continue;
    checkEntry(key, entry);
    throw new StateDictError('unexpected', key, null, [...entry.shape]);
  }
  const out: Record<string, tf.Tensor> = {};
  for (const [key, entry] of checked) {
    out[key] =
      entry instanceof tf.Tensor
        ? entry.dtype === 'float32'
          ? tf.clone(entry)
          : tf.cast(entry, 'float32')
        : tf.tensor(Float32Array.from(entry.data), [...entry.shape], 'float32');
  }
  return out;
}
