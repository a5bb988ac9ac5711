import { ArgumentError, initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyCmvn, CmvnAccumulator, cmvnPerUtterance, fitCmvn } from './cmvn.js';
import { addDeltas } from './deltas.js';
import { toTensor2D } from './feature-matrix.js';
import { extractFeatures, validatePipeline } from './feature-pipeline.js';
import { PowerSpectrum } from './internal/power-spectrum.js';
import { fbank } from './kaldi-fbank.js';
import { mfcc } from './kaldi-mfcc.js';
import { spectrogram } from './kaldi-spectrogram.js';
import { logMelSpectrogram } from './log-mel.js';
import { resample } from './resample.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const noise = (n: number, seed = 1): Float32Array => {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 0.2);
};

describe('power spectrum', () => {
  it.each([4, 6, 8, 10, 256, 400, 512])('equals a direct DFT for size %i (powers of two by fft.js, others by Bluestein)', (n) => {
    const x = Float64Array.from(noise(n, n));
    const ps = new PowerSpectrum(n);
    const out = new Float64Array(ps.bins);
    ps.compute(x, out);
    expect(ps.bins).toBe(Math.floor(n / 2) + 1);
    for (let k = 0; k < ps.bins; k++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < n; j++) {
        re += x[j]! * Math.cos((2 * Math.PI * j * k) / n);
        im -= x[j]! * Math.sin((2 * Math.PI * j * k) / n);
      }
      expect(out[k]).toBeCloseTo(re * re + im * im, 9);
    }
  });
});

describe('Kaldi feature options', () => {
  const x = noise(16000);

  it('frame counts follow Kaldi: whole frames with snipEdges, one per shift without', () => {
    expect(mfcc(x, { sampleRate: 16000 }).shape).toEqual([98, 13]);
    expect(mfcc(x, { sampleRate: 16000, snipEdges: false }).shape).toEqual([100, 13]);
    expect(fbank(x.subarray(0, 399), { sampleRate: 16000 }).shape).toEqual([0, 23]);
    expect(fbank(x.subarray(0, 100), { sampleRate: 16000, snipEdges: false }).shape).toEqual([1, 23]);
    expect(spectrogram(x, { sampleRate: 16000 }).shape).toEqual([98, 257]);
    expect(mfcc(x, { sampleRate: 16000, minDuration: 2 }).shape).toEqual([0, 13]);
  });

  it('takes [−1, 1] samples and scales them by 32768 (sampleScale 1 takes 16-bit-scaled input)', () => {
    const scaled = x.map((v) => v * 32768);
    expect(mfcc(scaled, { sampleRate: 16000, sampleScale: 1 }).data).toEqual(mfcc(x, { sampleRate: 16000 }).data);
  });

  it('dithers only when asked, reproducibly from the seed', () => {
    const plain = fbank(x, { sampleRate: 16000 });
    const a = fbank(x, { sampleRate: 16000, dither: 1, seed: 5 });
    expect(fbank(x, { sampleRate: 16000, dither: 1, seed: 5 })).toEqual(a);
    expect(fbank(x, { sampleRate: 16000, dither: 1, seed: 6 }).data).not.toEqual(a.data);
    expect(a.data).not.toEqual(plain.data);
    expect(fbank(x, { sampleRate: 16000 })).toEqual(plain);
  });

  it('rejects unknown and out-of-range options instead of ignoring them', () => {
    expect(() => mfcc(x, { sampleRate: 16000, numMelBin: 40 } as never)).toThrow(/mfcc: unknown option "numMelBin".*Did you mean "numMelBins"/);
    expect(() => mfcc(x, { sampleRate: 16000, usePower: false } as never)).toThrow(/mfcc: unknown option "usePower"/);
    expect(() => mfcc(x, { sampleRate: 16000, numCeps: 30 })).toThrow(ArgumentError);
    expect(() => fbank(x, { sampleRate: 16000, windowType: 'kaiser' as never })).toThrow(/windowType/);
    expect(() => fbank(x, { sampleRate: 16000, highFreq: 9000 })).toThrow(/Nyquist \(8000 Hz\)/);
    expect(() => fbank(x, { sampleRate: 16000, frameLengthMs: 0.05 })).toThrow(/frameLengthMs/);
    expect(() => fbank(x, { sampleRate: 16000, roundToPowerOfTwo: false, frameLengthMs: 25.0625 })).toThrow(/even FFT size/);
    expect(() => fbank(x, {} as never)).toThrow(/sampleRate/);
    expect(() => mfcc(Array.from(x) as never, { sampleRate: 16000 })).toThrow(/Float32Array.*got an Array/);
    expect(() => logMelSpectrogram(x, { sampleRate: 16000, n_fft: 512 } as never)).toThrow(/n_fft/);
  });

  it('converts to a tf.Tensor2D without leaking', () => {
    const before = tf.memory().numTensors;
    const feats = mfcc(x, { sampleRate: 16000 });
    const t = toTensor2D(feats);
    expect(t.shape).toEqual([98, 13]);
    expect(t.dataSync()).toEqual(feats.data);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('deltas and CMVN', () => {
  const feats = mfcc(noise(8000, 3), { sampleRate: 8000 });

  it('addDeltas lays out [x, Δ, ΔΔ], and Δ of a linear ramp is its slope away from the edges', () => {
    const ramp = { data: Float32Array.from({ length: 20 }, (_, t) => 3 * t), shape: [20, 1] as const };
    const d = addDeltas(ramp, { order: 2 });
    expect(d.shape).toEqual([20, 3]);
    for (let t = 4; t < 16; t++) {
      expect(d.data[t * 3]).toBe(3 * t);
      expect(d.data[t * 3 + 1]).toBeCloseTo(3, 6);
      expect(d.data[t * 3 + 2]).toBeCloseTo(0, 6);
    }
    expect(addDeltas(feats).shape).toEqual([feats.shape[0], 39]);
    expect(addDeltas(feats, { order: 0 })).toEqual(feats);
  });

  it('per-utterance CMVN gives zero mean (and unit variance with normVars)', () => {
    const n = cmvnPerUtterance(feats, { normVars: true });
    const stats = fitCmvn([n]);
    for (let d = 0; d < 13; d++) {
      expect(stats.mean[d]).toBeCloseTo(0, 4);
      expect(stats.std[d]).toBeCloseTo(1, 3);
    }
    const meanOnly = fitCmvn([cmvnPerUtterance(feats)]);
    expect(meanOnly.std).toEqual(fitCmvn([feats]).std.map((s) => expect.closeTo(s, 3)));
  });

  it('global CMVN statistics accumulate over utterances, serialise as JSON and refuse a dimension mismatch', () => {
    const other = mfcc(noise(4000, 9), { sampleRate: 8000 });
    const acc = new CmvnAccumulator();
    acc.add(feats);
    acc.add(other);
    const stats = JSON.parse(JSON.stringify(acc.stats()));
    expect(stats).toEqual(fitCmvn([feats, other]));
    expect(stats.count).toBe(feats.shape[0] + other.shape[0]);
    expect(applyCmvn(feats, stats).shape).toEqual(feats.shape);
    expect(() => applyCmvn(addDeltas(feats), stats)).toThrow(/stats\.dim.*39/);
    expect(() => new CmvnAccumulator().stats()).toThrow(/at least one frame/);
  });
});

describe('feature pipelines', () => {
  const x44 = noise(44100, 4);

  it('resample → features → deltas → per-utterance CMVN, in that order', () => {
    const pipeline = { kind: 'fbank', sampleRate: 16000, options: { numMelBins: 40 }, deltas: 1, utteranceCmvn: 'mean' } as const;
    const ours = extractFeatures(x44, 44100, pipeline);
    const byHand = cmvnPerUtterance(addDeltas(fbank(resample(x44, 44100, 16000), { sampleRate: 16000, numMelBins: 40 }), { order: 1 }));
    expect(ours).toEqual(byHand);
    expect(ours.shape).toEqual([98, 80]);
  });

  it('rejects a bad pipeline before touching any audio', () => {
    expect(() => validatePipeline({ kind: 'mfcc', sampleRate: 16000, options: { numCeps: 40 } })).toThrow(/numCeps/);
    expect(() => validatePipeline({ kind: 'plp' as never, sampleRate: 16000 })).toThrow(/pipeline: option "kind" must be 'mfcc' \| 'fbank' \| 'spectrogram' \| 'log-mel'/);
    expect(() => validatePipeline({ kind: 'mfcc', sampleRate: 16000, deltas: 3 as never })).toThrow(/pipeline: option "deltas" must be 0 \| 1 \| 2, got 3/);
    expect(() => validatePipeline({ kind: 'log-mel', sampleRate: 16000, options: { nMels: 40, hop: 10 } as never })).toThrow(/"hop"/);
  });
});
