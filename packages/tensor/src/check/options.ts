import { typoDistance } from '../data/edit-distance.js';
import { ArgumentError, GatedError } from './errors.js';

/**
 * What one option may hold. A kind name checks `typeof` (`'integer'` also `Number.isInteger`, `'array'`
 * `Array.isArray` or a typed array, `'object'` a non-null non-array object); `'any'` accepts every value; an
 * array of literals is an enum: the value must be one of them.
 */
export type OptionRule =
  | 'any'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'string'
  | 'function'
  | 'object'
  | 'array'
  | readonly (string | number | boolean | null)[];

/** The options a function takes: each known key and what it may hold. */
export type OptionSpec = Readonly<Record<string, OptionRule>>;

/** Why an options object was refused. */
export type OptionProblem = 'unknown' | 'value';

/** Payload of an {@link OptionsError}. */
export interface OptionsErrorDetails {
  /** The function or constructor that was called, e.g. `'fit'` or `'new SequenceModel'`. */
  readonly where: string;
  /** The offending key. */
  readonly key: string;
  readonly problem: OptionProblem;
  /** The valid keys (`problem: 'unknown'`) or the valid values / kind (`problem: 'value'`). */
  readonly valid: readonly string[];
  /** The key or value that was given, printed. */
  readonly actual: string;
  /** The nearest valid key or value when the given one looks like a typo, else null. */
  readonly suggestion: string | null;
}

/**
 * An options object has a key the function does not know (`GATED_UNKNOWN_OPTION`) or a value outside the
 * key's enum or kind (`GATED_BAD_OPTION_VALUE`). The message names the function and the key, lists what is
 * valid and suggests the nearest valid name for a near miss.
 */
export class OptionsError extends GatedError<OptionsErrorDetails> {
  constructor(details: OptionsErrorDetails) {
    const hint = details.suggestion === null ? '' : ` Did you mean ${details.suggestion}?`;
    const message =
      details.problem === 'unknown'
        ? `${details.where}: unknown option "${details.key}". Valid options: ${details.valid.join(', ') || '(none)'}.${hint}`
        : `${details.where}: option "${details.key}" must be ${details.valid.join(' | ')}, got ${details.actual}.${hint}`;
    super(details.problem === 'unknown' ? 'GATED_UNKNOWN_OPTION' : 'GATED_BAD_OPTION_VALUE', message, details);
  }
}

/**
 * Checks an options object against its spec and returns it unchanged: every own key must be in `spec`, and
 * every value that is not `undefined` must satisfy its rule. `undefined` options (the caller passed none) are
 * fine; anything that is not a plain object is an {@link ArgumentError}. Ranges and cross-field rules stay with
 * the function; this catches the silent class: misspelled keys and enum values that switch a check off.
 *
 * @example
 * const MISSING = ['error', 'drop', 'interpolate'] as const;
 * checkOptions('readSeries', options, { missing: MISSING, delimiter: 'string' });
 * // readSeries(path, { mising: 'drop' }) → OptionsError: readSeries: unknown option "mising". … Did you mean "missing"?
 */
export function checkOptions<T>(where: string, options: T, spec: OptionSpec): T {
  if (options === undefined) return options;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ArgumentError(`${where} options`, 'an options object', describeValue(options));
  }
  const keys = Object.keys(spec);
  for (const [key, value] of Object.entries(options as Record<string, unknown>)) {
    const rule = spec[key];
    if (rule === undefined || !Object.hasOwn(spec, key)) {
      const near = nearest(key, keys);
      throw new OptionsError({ where, key, problem: 'unknown', valid: keys, actual: key, suggestion: near === null ? null : `"${near}"` });
    }
    if (value === undefined || matches(rule, value)) continue;
    if (Array.isArray(rule)) {
      const valid = (rule as readonly unknown[]).map(describeValue);
      const near = typeof value === 'string' ? nearest(value, rule.filter((v): v is string => typeof v === 'string')) : null;
      throw new OptionsError({ where, key, problem: 'value', valid, actual: describeValue(value), suggestion: near === null ? null : `'${near}'` });
    }
    throw new OptionsError({ where, key, problem: 'value', valid: [KIND_NAMES[rule as string] ?? String(rule)], actual: describeValue(value), suggestion: null });
  }
  return options;
}

const KIND_NAMES: Readonly<Record<string, string>> = {
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  string: 'a string',
  function: 'a function',
  object: 'an object',
  array: 'an array',
};

function matches(rule: OptionRule, value: unknown): boolean {
  if (Array.isArray(rule)) return (rule as readonly unknown[]).includes(value);
  switch (rule) {
    case 'any':
      return true;
    case 'integer':
      return Number.isInteger(value);
    case 'array':
      return Array.isArray(value) || ArrayBuffer.isView(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return typeof value === rule;
  }
}

/** A short printed form of any value for error messages (never throws). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value instanceof ArrayBuffer) return `an ArrayBuffer of ${value.byteLength} bytes`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

/** The candidate closest to `given` when it looks like a typo of it (case, `_`, a few edits, a prefix), else null. */
export function nearest(given: string, candidates: readonly string[]): string | null {
  const norm = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, '');
  const g = norm(given);
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const n = norm(c);
    let d = typoDistance(g, n);
    // `missingValues` for `missing`, `maxVocab` for `maxVocabSize`: a shared stem of 4+ letters is a near miss.
    if (Math.min(g.length, n.length) >= 4 && (g.startsWith(n) || n.startsWith(g))) d = Math.min(d, 1);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  const limit = Math.max(1, Math.floor(g.length / 3));
  return best !== null && bestDistance <= limit ? best : null;
}
