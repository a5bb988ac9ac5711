import { ArgumentError } from '@gated/tensor';

/**
 * `xs[i]`, or an {@link ArgumentError} naming what was expected there — for lookups that the surrounding code
 * guarantees (an index into the columns a row was decoded with), so a broken guarantee fails loudly instead of
 * passing `undefined` on.
 */
export function at<T>(xs: ArrayLike<T>, i: number, what: string): T {
  const x = xs[i];
  if (x === undefined) throw new ArgumentError(what, `an entry at index ${i}`, `${xs.length} entries`);
  return x;
}
