/** One unit's share of time steps spent saturated, as Karpathy, Johnson & Fei-Fei (2015, fig. 4) plot it. */
export interface UnitSaturation {
  /** Fraction of steps with the activation below {@link SATURATION_LOW}. */
  readonly left: number;
  /** Fraction of steps with the activation above {@link SATURATION_HIGH}. */
  readonly right: number;
}

/** A gate is left-saturated below this value. */
export const SATURATION_LOW = 0.1;
/** A gate is right-saturated above this value. */
export const SATURATION_HIGH = 0.9;

/**
 * Per unit, the fraction of (example, step) pairs where a sigmoid gate sits below 0.1 or above 0.9.
 * `values` is [batch, steps, units] row-major.
 */
export function unitSaturation(values: Float32Array, batch: number, steps: number, units: number): UnitSaturation[] {
  if (values.length !== batch * steps * units) {
    throw new RangeError(`unitSaturation: expected ${batch}·${steps}·${units} = ${batch * steps * units} values, found ${values.length}`);
  }
  const left = new Float64Array(units);
  const right = new Float64Array(units);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const u = i % units;
    if (v < SATURATION_LOW) left[u] = (left[u] as number) + 1;
    else if (v > SATURATION_HIGH) right[u] = (right[u] as number) + 1;
  }
  const total = batch * steps;
  return Array.from({ length: units }, (_, u) => ({ left: (left[u] as number) / total, right: (right[u] as number) / total }));
}
