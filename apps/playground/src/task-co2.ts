import { SequenceModel } from '@gated/cells';
import { formatTimestamp, parseSeries } from '@gated/datasets-timeseries';
import { Rng } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
// Monthly mean CO2 at Mauna Loa, March 1958 – April 2020 (ppm): a byte-for-byte copy of vega-datasets 3.2.1's
// data/co2-concentration.csv (the file @gated/datasets-timeseries' `loadRealSeries('co2')` reads in Node, which
// vega-datasets' exports map hides from bundlers), bundled into the page as text.
import co2Csv from '../data/co2-concentration.csv?raw';
import type { PlaygroundTask } from './task.js';

/** The series: 5 missing months filled by linear interpolation, as `loadRealSeries('co2')` does. */
export const CO2_SERIES = parseSeries(co2Csv, { valueColumns: ['CO2'], missing: 'interpolate' }, 'co2-concentration.csv');
/** The first 80 % of months train; windows of the probe come from the last 20 %. */
const TRAIN_END = Math.floor(CO2_SERIES.length * 0.8);
const trainValues = CO2_SERIES.values.subarray(0, TRAIN_END);
/** Standardisation fitted on the training months only (no look-ahead). */
export const CO2_MEAN = trainValues.reduce((a, b) => a + b, 0) / trainValues.length;
export const CO2_STD = Math.sqrt(trainValues.reduce((a, b) => a + (b - CO2_MEAN) ** 2, 0) / trainValues.length);
const z = Float32Array.from(CO2_SERIES.values, (v) => (v - CO2_MEAN) / CO2_STD);

/** `count` windows of `len` months starting in [from, to − len − 1], and each window's next month. */
function windows(rng: Rng, count: number, len: number, from: number, to: number): { x: Float32Array; y: Float32Array; starts: number[] } {
  const span = to - from - len;
  if (span < 1) throw new RangeError(`a ${len}-month window does not fit in months ${from}…${to} of the CO2 series`);
  const x = new Float32Array(count * len);
  const y = new Float32Array(count);
  const starts: number[] = [];
  for (let b = 0; b < count; b++) {
    const start = from + rng.int(span);
    starts.push(start);
    x.set(z.subarray(start, start + len), b * len);
    y[b] = z[start + len] ?? 0;
  }
  return { x, y, starts };
}

/** One-step-ahead forecast of monthly CO2: the last T months (standardised) in, the next month out (MSE). */
export const co2Task: PlaygroundTask = {
  featureSize: 1,
  createModel: (kind, s) => new SequenceModel({ kind, inputSize: 1, hiddenSize: s.hiddenSize, outputSize: 1, pooling: 'last', seed: s.seed }),
  batch: (rng, s) => {
    const { x, y } = windows(rng, s.batchSize, s.seqLen, 0, TRAIN_END);
    return { x: tf.tensor3d(x, [s.batchSize, s.seqLen, 1]), y: tf.tensor2d(y, [s.batchSize, 1]) };
  },
  loss: (output, y) => tf.mean(tf.square(tf.sub(output, y))) as tf.Scalar,
  probe: (s, count) => {
    const { x, starts } = windows(new Rng(s.seed).fork('probe'), count, s.seqLen, TRAIN_END, CO2_SERIES.length);
    const labels = starts.map((start) =>
      Array.from({ length: s.seqLen }, (_, t) => formatTimestamp(CO2_SERIES.timestamps[start + t] ?? 0).slice(0, 7)),
    );
    return { x: { dtype: 'float32', shape: [count, s.seqLen, 1], values: x }, labels };
  },
};
