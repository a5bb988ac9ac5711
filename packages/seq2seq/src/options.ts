import { ArgumentError, editDistance } from '@gated/tensor';
import { UnknownOptionError } from './errors.js';

/** Rejects keys of `options` not in `known` (with a "did you mean"), and a non-object. */
export function checkOptionKeys(where: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new ArgumentError(where, 'an options object', String(options));
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new UnknownOptionError(where, key, known, nearest(key, known));
  }
}

/** Rejects a value that is not one of `values`. */
export function checkEnum<T extends string>(name: string, value: unknown, values: readonly T[]): T {
  if (typeof value !== 'string' || !values.includes(value as T)) {
    throw new ArgumentError(name, values.map((v) => `'${v}'`).join(' or '), JSON.stringify(value));
  }
  return value as T;
}

/** Rejects a value that is not a boolean. */
export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ArgumentError(name, 'a boolean', JSON.stringify(value));
  return value;
}

function nearest(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : null;
}
