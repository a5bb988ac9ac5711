import { editDistance } from '@gated/tensor';
import { CtcError } from './errors.js';

/** Rejects option keys not in `known`, suggesting the closest known key. */
export function rejectUnknownOptions(fn: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = [...known].sort((a, b) => editDistance(key, a) - editDistance(key, b))[0];
    const hint = near !== undefined && editDistance(key, near) <= 3 ? ` (did you mean '${near}'?)` : '';
    throw new CtcError('GATED_CTC_BAD_OPTION', `${fn}: unknown option '${key}'${hint}; expected one of ${known.join(', ')}`, {
      argument: key,
      expected: known.join(', '),
      actual: key,
    });
  }
}

/** Throws unless `value` is one of `allowed`. */
export function checkEnum<T extends string>(fn: string, key: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new CtcError('GATED_CTC_BAD_OPTION', `${fn}: ${key} expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${String(value)}`, {
    argument: key,
    expected: allowed.join(', '),
    actual: String(value),
  });
}
