import { ArgumentError } from './errors.js';

/** A shape where `null` matches any size along that axis. */
export type ShapePattern = readonly (number | null)[];

const formatShape = (shape: readonly (number | null)[]): string => `[${shape.map((d) => (d === null ? '?' : d)).join(', ')}]`;

/**
 * Throws an {@link ArgumentError} naming `argument` unless `shape` matches `pattern`.
 *
 * @example
 * assertShape('x', x.shape, [null, null, inputSize]); // any batch and time, fixed features
 */
export function assertShape(argument: string, shape: readonly number[], pattern: ShapePattern): void {
  const ok = shape.length === pattern.length && pattern.every((d, i) => d === null || d === shape[i]);
  if (!ok) throw new ArgumentError(argument, `shape ${formatShape(pattern)}`, `shape ${formatShape(shape)}`);
}

/** Throws an {@link ArgumentError} unless `value` is an integer within [min, max]. */
export function assertInteger(argument: string, value: number, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = `${Number.isFinite(min) ? min : '-∞'}..${Number.isFinite(max) ? max : '∞'}`;
    throw new ArgumentError(argument, `an integer in ${range}`, String(value));
  }
}

/** Throws an {@link ArgumentError} unless `value` is a finite number within [min, max]. */
export function assertNumberInRange(argument: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ArgumentError(argument, `a number in [${min}, ${max}]`, String(value));
  }
}
