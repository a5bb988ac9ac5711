import { ArgumentError, assertInteger, assertObject, checkOptions } from '@gated/tensor';
import { LeakageError } from './errors.js';
import type { TimeSeries } from './series.js';
import type { SplitName, Splits } from './split.js';
import { WINDOW_SPEC } from './option-specs.js';

/**
 * The geometry of a forecasting window. A window is identified by its anchor `a`, the row of its last input:
 * inputs are rows a − (inputLength − 1)·r, …, a − r, a and targets are rows a + r, …, a + horizon·r, where r is
 * `samplingRate`. Consecutive windows' anchors are `stride` rows apart.
 */
export interface WindowSpec {
  readonly inputLength: number;
  readonly horizon: number;
  readonly stride?: number;
  readonly samplingRate?: number;
}

/** Defaults of {@link WindowSpec}. */
export const WINDOW_DEFAULTS = { stride: 1, samplingRate: 1 } as const;

/** Checks a {@link WindowSpec}'s numbers. */
export function checkWindowSpec(spec: WindowSpec): Required<WindowSpec> {
  assertObject('window spec', spec, 'an object { inputLength, horizon, stride?, samplingRate? }');
  assertInteger('inputLength', spec.inputLength, 1);
  assertInteger('horizon', spec.horizon, 1);
  const stride = spec.stride ?? WINDOW_DEFAULTS.stride;
  const samplingRate = spec.samplingRate ?? WINDOW_DEFAULTS.samplingRate;
  assertInteger('stride', stride, 1);
  assertInteger('samplingRate', samplingRate, 1);
  return { inputLength: spec.inputLength, horizon: spec.horizon, stride, samplingRate };
}

/**
 * Anchors of the windows of one split, in time order. Every window's targets lie wholly inside the split's range;
 * its inputs precede its first target and may reach back into earlier splits (that is the past). Training windows lie
 * wholly inside the training range. The first window of a split forecasts its first row (when enough history exists);
 * `firstRow` excludes inputs before it (e.g. the rows a differencing lag leaves undefined). No window spans a break.
 */
export function windowAnchors(series: TimeSeries, splits: Splits, split: SplitName, spec: WindowSpec, firstRow = 0): Int32Array {
  checkOptions('windowAnchors spec', spec, WINDOW_SPEC);
  const { inputLength: L, horizon: H, stride, samplingRate: r } = checkWindowSpec(spec);
  const range = splits[split];
  const breaksBefore = new Int32Array(series.length + 1);
  for (const b of series.breaks) breaksBefore[b + 1] = 1;
  for (let i = 1; i <= series.length; i++) breaksBefore[i] = breaksBefore[i]! + breaksBefore[i - 1]!;
  // Breaks at rows (first, last]: the window would span a gap.
  const spansBreak = (first: number, last: number): boolean => breaksBefore[last + 1]! - breaksBefore[first + 1]! > 0;
  const anchors: number[] = [];
  const inputFloor = split === 'train' ? Math.max(firstRow, range.start) : firstRow;
  for (let a = Math.max(range.start - r, inputFloor + (L - 1) * r); a + H * r < range.end; a += stride) {
    if (!spansBreak(a - (L - 1) * r, a + H * r)) anchors.push(a);
  }
  return Int32Array.from(anchors);
}

/**
 * Checks the windows of a split against the rules of {@link windowAnchors} and throws a {@link LeakageError} naming
 * the first offending window: a training window touching rows past the training range, or a validation/test window
 * whose targets leave its range.
 */
export function auditWindows(anchors: ArrayLike<number>, split: SplitName, splits: Splits, spec: WindowSpec): void {
  checkOptions('auditWindows spec', spec, WINDOW_SPEC);
  const { inputLength: L, horizon: H, samplingRate: r } = checkWindowSpec(spec);
  const range = splits[split];
  for (let w = 0; w < anchors.length; w++) {
    const a = anchors[w]!;
    const firstInput = a - (L - 1) * r;
    const firstTarget = a + r;
    const lastTarget = a + H * r;
    if (firstInput < 0) throw new ArgumentError(`anchors[${w}]`, `an anchor ≥ ${(L - 1) * r} (inputs start at row 0)`, String(a));
    if (split === 'train' && firstInput < range.start) {
      throw new LeakageError({ split, what: 'window-input', index: firstInput, allowed: [range.start, range.end] }, `train window ${w} reads row ${firstInput}, outside the training rows [${range.start}, ${range.end})`);
    }
    if (firstTarget < range.start || lastTarget >= range.end) {
      const index = firstTarget < range.start ? firstTarget : lastTarget;
      throw new LeakageError(
        { split, what: 'window-target', index, allowed: [range.start, range.end] },
        `${split} window ${w} has targets at rows [${firstTarget}, ${lastTarget}], outside its range [${range.start}, ${range.end})`,
      );
    }
  }
}

/** Window inputs and targets gathered into flat arrays. */
export interface GatheredWindows<A extends Float32Array | Float64Array = Float32Array> {
  /** `[windows, inputLength, inputColumns]`. */
  readonly x: A;
  /** `[windows, steps · targetColumns]`, step-major. */
  readonly y: A;
}

/**
 * Copies the inputs and `steps` future values of the windows at `anchors` out of a row-major `[rows, width]` array
 * (scaled or original values) into arrays of `kind` (Float32Array by default).
 */
export function gatherWindows<A extends Float32Array | Float64Array = Float32Array>(
  data: ArrayLike<number>,
  width: number,
  anchors: ArrayLike<number>,
  geometry: { readonly inputLength: number; readonly samplingRate: number; readonly steps: number },
  inputIndex: readonly number[],
  targetIndex: readonly number[],
  kind: { new (length: number): A } = Float32Array as unknown as { new (length: number): A },
): GatheredWindows<A> {
  const { inputLength: L, samplingRate: r, steps } = geometry;
  const F = inputIndex.length;
  const T = targetIndex.length;
  const x = new kind(anchors.length * L * F);
  const y = new kind(anchors.length * steps * T);
  for (let b = 0; b < anchors.length; b++) {
    const a = anchors[b]!;
    for (let t = 0; t < L; t++) {
      const row = (a - (L - 1 - t) * r) * width;
      for (let f = 0; f < F; f++) x[(b * L + t) * F + f] = data[row + inputIndex[f]!]!;
    }
    for (let k = 0; k < steps; k++) {
      const row = (a + (k + 1) * r) * width;
      for (let j = 0; j < T; j++) y[(b * steps + k) * T + j] = data[row + targetIndex[j]!]!;
    }
  }
  return { x, y };
}
