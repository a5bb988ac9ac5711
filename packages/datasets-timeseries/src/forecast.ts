import { ArgumentError, assertObject, checkOptions } from '@gated/tensor';

/**
 * How a multi-step forecast is made:
 * - `direct`: one call returns all `horizon` steps of every target (a multi-output head of width horizon · targets);
 * - `recursive`: one call returns the next step of every input column; the prediction is appended to the window
 *   (dropping its oldest step) and fed back `horizon` times.
 */
export type ForecastStrategy = 'direct' | 'recursive';

/**
 * A model, seen as a function of a batch of windows: `inputs` is float32 `[batch, inputLength, inputColumns]`
 * (row-major, in the transform's scaled units). Returns `[batch, horizon · targets]` (direct, step-major) or
 * `[batch, inputColumns]` (recursive: the next value of every input column). May be async.
 */
export type PredictFn = (inputs: Float32Array, shape: readonly [number, number, number]) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** Options of {@link forecastWindows}. */
export interface ForecastOptions {
  readonly strategy: ForecastStrategy;
  readonly predict: PredictFn;
  readonly horizon: number;
  /** Positions of the target columns among the input columns (the recursive strategy reads them from each step). */
  readonly targetFeatures: readonly number[];
  /** Windows per predict call. Default: all at once. */
  readonly batchSize?: number;
}

/**
 * Forecasts `horizon` steps for each window of `inputs` ([windows, inputLength, inputColumns], scaled units) with
 * the chosen strategy. Returns scaled forecasts `[windows, horizon · targets]`, step-major — the layout of the
 * datasets' `y` under the direct strategy, ready for {@link SeriesTransform.inverseForecast}.
 */
export async function forecastWindows(inputs: Float32Array, shape: readonly [number, number, number], options: ForecastOptions): Promise<Float32Array> {
  assertObject('forecastWindows options', options, 'an options object { strategy, predict, horizon, targetFeatures, batchSize? }');
  checkOptions('forecastWindows', options, { strategy: ['direct', 'recursive'], predict: 'function', horizon: 'integer', targetFeatures: 'array', batchSize: 'integer' });
  const [B, L, F] = shape;
  if (inputs.length !== B * L * F) throw new ArgumentError('inputs', `${B}·${L}·${F} values for shape [${shape.join(', ')}]`, String(inputs.length));
  const H = options.horizon;
  const targets = options.targetFeatures;
  const T = targets.length;
  for (const j of targets) if (!(Number.isInteger(j) && j >= 0 && j < F)) throw new ArgumentError('targetFeatures', `indices in [0, ${F})`, String(j));
  const batchSize = options.batchSize ?? Math.max(1, B);
  const out = new Float32Array(B * H * T);
  for (let start = 0; start < B; start += batchSize) {
    const n = Math.min(batchSize, B - start);
    const window = inputs.slice(start * L * F, (start + n) * L * F);
    if (options.strategy === 'direct') {
      const y = await options.predict(window, [n, L, F]);
      if (y.length !== n * H * T) throw new ArgumentError('predict(...)', `${n}·${H}·${T} values ([batch, horizon · targets]) for the direct strategy`, String(y.length));
      for (let i = 0; i < y.length; i++) out[start * H * T + i] = y[i]!;
    } else if (options.strategy === 'recursive') {
      for (let k = 0; k < H; k++) {
        const next = await options.predict(window, [n, L, F]);
        if (next.length !== n * F) throw new ArgumentError('predict(...)', `${n}·${F} values ([batch, inputColumns]) for the recursive strategy`, String(next.length));
        for (let b = 0; b < n; b++) {
          for (let j = 0; j < T; j++) out[((start + b) * H + k) * T + j] = next[b * F + targets[j]!]!;
          // Slide: drop the oldest step, append the prediction as the newest input.
          const base = b * L * F;
          window.copyWithin(base, base + F, base + L * F);
          for (let f = 0; f < F; f++) window[base + (L - 1) * F + f] = next[b * F + f]!;
        }
      }
    } else {
      throw new ArgumentError('strategy', "'direct' or 'recursive'", String(options.strategy));
    }
  }
  return out;
}
