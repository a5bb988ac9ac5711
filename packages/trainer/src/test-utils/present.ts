/** `value`, or an error naming `what` when it is missing (a test that reads a value that is not there fails). */
export function present<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`expected ${what}, found none`);
  return value;
}

/** The first value of a non-empty series. */
export const first = (values: readonly number[], what = 'a first value'): number => present(values[0], what);

/** The last value of a non-empty series. */
export const last = (values: readonly number[], what = 'a last value'): number => present(values.at(-1), what);

/** A logged series of a fit result's history, by key. */
export const series = (result: { readonly history: Readonly<Record<string, number[]>> }, key: string): number[] => present(result.history[key], `history.${key}`);
