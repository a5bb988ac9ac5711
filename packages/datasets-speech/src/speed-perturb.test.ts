import { ArgumentError, initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { speedPerturb } from './speed-perturb.js';
import { loadSpokenDigits } from './spoken-digits.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const RATE = 8000;
const tone = (hz: number, n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / RATE));

// RMS difference from a reference over the middle half, away from the ends where the filter runs off the signal.
function middleRmsError(x: Float32Array, reference: Float32Array): number {
  const from = Math.floor(x.length / 4);
  const to = Math.floor((3 * x.length) / 4);
  let sum = 0;
  for (let i = from; i < to; i++) sum += ((x[i] ?? 0) - (reference[i] ?? 0)) ** 2;
  return Math.sqrt(sum / (to - from));
}

describe('speedPerturb', () => {
  it.each([
    [1.1, 7273],
    [0.9, 8889],
  ])('at factor %f plays a 500 Hz tone f times as fast (tone within 1e-3 RMS) in ⌈n/f⌉ = %i samples', (factor, length) => {
    const out = speedPerturb(tone(500, RATE), factor);
    expect(out.length).toBe(length);
    expect(middleRmsError(out, tone(500 * factor, out.length))).toBeLessThan(1e-3);
  });

  it('returns a copy at factor 1', () => {
    const x = tone(500, 100);
    const out = speedPerturb(x, 1);
    expect(out).toEqual(x);
    expect(out).not.toBe(x);
  });

  it.each([0.4, 2.5, Number.NaN, 1.0005])('rejects the factor %f with an ArgumentError', (factor) => {
    expect(() => speedPerturb(tone(500, 100), factor)).toThrow(ArgumentError);
  });
});

describe('loadSpokenDigits speedPerturbation', () => {
  it('adds a perturbed copy of every training clip per factor and leaves validation and test as they are', async () => {
    const plain = await loadSpokenDigits({ maxPerSplit: 30, batchSize: 100, seed: 1 });
    const perturbed = await loadSpokenDigits({ maxPerSplit: 30, batchSize: 100, seed: 1, speedPerturbation: [0.9, 1, 1.1] });
    expect(perturbed.counts).toEqual({ train: 90, validation: 30, test: 30 });
    expect(plain.counts).toEqual({ train: 30, validation: 30, test: 30 });
    const frames = async (data: typeof plain.train): Promise<number> => {
      let total = 0;
      for await (const batch of data) {
        for (const length of (await batch.lengths?.data()) ?? []) total += length;
        tf.dispose([batch.x, batch.y, ...(batch.lengths ? [batch.lengths] : [])]);
      }
      return total;
    };
    // Slower copies are longer, faster ones shorter: (1/0.9 + 1 + 1/1.1) ≈ 3.02 times the frames, ± framing.
    const ratio = (await frames(perturbed.train)) / (await frames(plain.train));
    expect(ratio).toBeGreaterThan(2.95);
    expect(ratio).toBeLessThan(3.1);
    expect(await frames(perturbed.test)).toBe(await frames(plain.test));
    // Features are reused only between loads that differ in seed or batch size, never across other options.
    expect((await loadSpokenDigits({ maxPerSplit: 30, batchSize: 100, seed: 2 })).counts.train).toBe(30);
    const reseeded = await loadSpokenDigits({ maxPerSplit: 30, batchSize: 7, seed: 5, speedPerturbation: [0.9, 1, 1.1] });
    expect(reseeded.counts.train).toBe(90);
    expect(await frames(reseeded.train)).toBe(await frames(perturbed.train));
  });

  it('rejects an empty factor list and a factor out of range, naming the option', async () => {
    await expect(loadSpokenDigits({ speedPerturbation: [] })).rejects.toThrow(/speedPerturbation/);
    await expect(loadSpokenDigits({ speedPerturbation: [1, 3] })).rejects.toThrow(/speedPerturbation\[1\]/);
  });
});
