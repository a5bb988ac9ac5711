import { ArgumentError } from '@gated/tensor';

/** `xs[i]`, or an {@link ArgumentError} naming `what` when `i` is past its end. */
export function at<T>(xs: ArrayLike<T>, i: number, what: string): T {
  const x = xs[i];
  if (x === undefined) throw new ArgumentError(`${what}[${i}]`, `an index below ${xs.length}`, String(i));
  return x;
}
