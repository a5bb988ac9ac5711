import { ArgumentError } from '@gated/tensor';

/**
 * `list[index]`, or an {@link ArgumentError} naming `what` when the index is out of range: how code that indexes
 * by a computed position (layer k, direction d; input i of an op) reads an element without a non-null assertion.
 */
export function item<T>(list: ArrayLike<T>, index: number, what: string): T {
  const value = list[index];
  if (value === undefined) throw new ArgumentError(what, `an index in 0..${list.length - 1}`, String(index));
  return value;
}
