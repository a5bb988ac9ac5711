import { ArgumentError } from '@gated/tensor';

/** Arrays and typed arrays: anything with `Array.prototype.at`. */
interface Indexed<T> {
  readonly length: number;
  at(index: number): T | undefined;
}

/** `xs[i]`, or an {@link ArgumentError} naming `what` when there is no entry at `i` (negative `i` counts from the end). */
export function at<T>(xs: Indexed<T>, i: number, what: string): T {
  const x = xs.at(i);
  if (x === undefined) throw new ArgumentError(what, `an entry at index ${i}`, `${xs.length} entries`);
  return x;
}

/** `map.get(key)`, or an {@link ArgumentError} naming `what` when the key is missing. */
export function lookup<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  const v = map.get(key);
  if (v === undefined) throw new ArgumentError(what, `an entry for ${String(key)}`, `none (${map.size} entries)`);
  return v;
}
