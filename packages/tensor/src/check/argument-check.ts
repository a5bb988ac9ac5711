import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from './errors.js';
import { describeValue } from './options.js';

/**
 * Returns `value` as a Uint8Array view: a Uint8Array (or Node Buffer) as is, an ArrayBuffer or any other typed
 * array / DataView as a view of the same bytes. Anything else is an {@link ArgumentError} naming `argument`.
 *
 * @example
 * const bytes = toBytes('wav', await (await fetch(url)).arrayBuffer());
 */
export function toBytes(argument: string, value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) {
    return new Uint8Array(value);
  }
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new ArgumentError(argument, 'a Uint8Array or ArrayBuffer of bytes', describeValue(value));
}

/**
 * Returns `value` as a Float32Array: a Float32Array as is, any other typed array or plain array of numbers
 * copied. Anything else is an {@link ArgumentError} naming `argument`.
 */
export function toFloat32Array(argument: string, value: unknown): Float32Array {
  if (value instanceof Float32Array) return value;
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === 'number')) throw new ArgumentError(argument, 'a Float32Array or an array of numbers', 'an array with non-numbers');
    return Float32Array.from(value);
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array)) {
    return Float32Array.from(value as unknown as ArrayLike<number>);
  }
  throw new ArgumentError(argument, 'a Float32Array or an array of numbers', describeValue(value));
}

/** Throws an {@link ArgumentError} naming `argument` unless `value` is a tf.Tensor (a plain array is not). */
export function assertTensor(argument: string, value: unknown, rank?: number): asserts value is tf.Tensor {
  if (!(value instanceof tf.Tensor)) {
    throw new ArgumentError(argument, rank === undefined ? 'a tf.Tensor' : `a rank-${rank} tf.Tensor`, describeValue(value));
  }
  if (rank !== undefined && value.rank !== rank) throw new ArgumentError(argument, `a rank-${rank} tf.Tensor`, `rank ${value.rank} [${value.shape.join(', ')}]`);
  if (value.isDisposed) throw new ArgumentError(argument, 'a live tf.Tensor', 'a disposed tensor');
}

/** Throws an {@link ArgumentError} naming `argument` unless `value` is a non-null, non-array object. */
export function assertObject(argument: string, value: unknown, expected = 'an object'): asserts value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ArgumentError(argument, expected, describeValue(value));
}

/** Throws an {@link ArgumentError} naming `argument` unless `value` is a string (e.g. a path), non-empty by default. */
export function assertString(argument: string, value: unknown, allowEmpty = false): asserts value is string {
  if (typeof value !== 'string' || (!allowEmpty && value.length === 0)) {
    throw new ArgumentError(argument, allowEmpty ? 'a string' : 'a non-empty string', describeValue(value));
  }
}
