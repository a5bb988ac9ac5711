import { ArgumentError, assertNumberInRange, assertObject, checkOptions } from '@gated/tensor';
import type { FeatureMatrix } from './feature-matrix.js';
import { assertMatrix } from './feature-matrix.js';

/**
 * Cepstral mean and variance statistics of a feature dimension set, plain JSON so they can be saved with a
 * model's config and applied again at inference time.
 */
export interface CmvnStats {
  readonly dim: number;
  /** Frames the statistics were computed over. */
  readonly count: number;
  readonly mean: readonly number[];
  /** Standard deviation per dimension, floored at √varianceFloor. */
  readonly std: readonly number[];
}

/** Options of {@link applyCmvn} and {@link cmvnPerUtterance}. */
export interface CmvnOptions {
  /** Divide by the standard deviation as well as subtracting the mean (Kaldi `--norm-vars`). Default false. */
  readonly normVars?: boolean;
}

const VARIANCE_FLOOR = 1e-10;

/**
 * Accumulates global CMVN statistics over many utterances in float64 (sum and sum of squares), so they can be
 * fitted by streaming over a training split without holding it in memory.
 *
 * @example
 * const acc = new CmvnAccumulator();
 * for (const feats of trainFeatures) acc.add(feats);
 * const stats = acc.stats(); // save with the model config
 */
export class CmvnAccumulator {
  #dim = -1;
  #count = 0;
  #sum = new Float64Array(0);
  #sumSq = new Float64Array(0);

  /** Adds every frame of `features`. All matrices must have the same number of columns. */
  add(features: FeatureMatrix): void {
    assertMatrix('CmvnAccumulator.add features', features);
    const [frames, dim] = features.shape;
    if (this.#dim < 0) {
      this.#dim = dim;
      this.#sum = new Float64Array(dim);
      this.#sumSq = new Float64Array(dim);
    } else if (dim !== this.#dim) {
      throw new ArgumentError('features.shape[1]', `${this.#dim} (as the first matrix)`, String(dim));
    }
    const data = features.data;
    for (let t = 0; t < frames; t++) {
      for (let d = 0; d < dim; d++) {
        const v = data[t * dim + d]!;
        this.#sum[d]! += v;
        this.#sumSq[d]! += v * v;
      }
    }
    this.#count += frames;
  }

  /** The statistics so far; throws when no frame was added. */
  stats(): CmvnStats {
    if (this.#count === 0) throw new ArgumentError('CmvnAccumulator', 'at least one frame added', '0 frames');
    const mean: number[] = [];
    const std: number[] = [];
    for (const [d, sum] of this.#sum.entries()) {
      const sumSq = this.#sumSq[d];
      if (sumSq === undefined) throw new ArgumentError('CmvnAccumulator', `${this.#dim} sums of squares`, String(this.#sumSq.length));
      const m = sum / this.#count;
      mean.push(m);
      std.push(Math.sqrt(Math.max(sumSq / this.#count - m * m, VARIANCE_FLOOR)));
    }
    return { dim: this.#dim, count: this.#count, mean, std };
  }
}

/** Global CMVN statistics of a set of utterances (fit them on the training split only). */
export function fitCmvn(utterances: Iterable<FeatureMatrix>): CmvnStats {
  const acc = new CmvnAccumulator();
  for (const u of utterances) acc.add(u);
  return acc.stats();
}

/**
 * Normalises with saved statistics: (x − mean) (/ std with `normVars`). Returns a new matrix.
 *
 * @example
 * const normalised = applyCmvn(feats, stats, { normVars: true });
 */
export function applyCmvn(features: FeatureMatrix, stats: CmvnStats, options: CmvnOptions = {}): FeatureMatrix {
  checkOptions('applyCmvn', options, { normVars: 'boolean' });
  assertMatrix('applyCmvn features', features);
  assertObject('applyCmvn stats', stats, 'CmvnStats { dim, mean, std, … }');
  const [frames, dim] = features.shape;
  if (dim !== stats.dim || stats.mean.length !== dim || stats.std.length !== dim) {
    throw new ArgumentError('stats.dim', `${dim} (the features' columns)`, `${stats.dim} (mean ${stats.mean.length}, std ${stats.std.length})`);
  }
  const scale = stats.std.map((s) => {
    assertNumberInRange('stats.std', s, Number.MIN_VALUE, Number.MAX_VALUE);
    return options.normVars === true ? 1 / s : 1;
  });
  const out = new Float32Array(frames * dim);
  for (let t = 0; t < frames; t++) for (let d = 0; d < dim; d++) out[t * dim + d] = (features.data[t * dim + d]! - stats.mean[d]!) * scale[d]!;
  return { data: out, shape: [frames, dim] };
}

/**
 * Per-utterance CMVN: statistics of this utterance alone, applied to it (Kaldi `apply-cmvn` with per-utterance
 * stats). An utterance with no frames is returned unchanged.
 */
export function cmvnPerUtterance(features: FeatureMatrix, options: CmvnOptions = {}): FeatureMatrix {
  checkOptions('cmvnPerUtterance', options, { normVars: 'boolean' });
  assertMatrix('cmvnPerUtterance features', features);
  if (features.shape[0] === 0) return { data: features.data.slice(), shape: features.shape };
  return applyCmvn(features, fitCmvn([features]), options);
}
