import { ArgumentError } from '@gated/tensor';
import { describe, expect, it } from 'vitest';
import { downmixToMono } from './downmix.js';
import { resample } from './resample.js';

const tone = (hz: number, rate: number, seconds: number, amplitude = 0.5): Float32Array =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate));

// RMS over the middle half, away from the zero-padded ends where the kernel runs off the signal.
function middleRms(x: Float32Array, reference?: (i: number) => number): number {
  const from = Math.floor(x.length / 4);
  const to = Math.floor((3 * x.length) / 4);
  let sum = 0;
  for (let i = from; i < to; i++) sum += (x[i]! - (reference?.(i) ?? 0)) ** 2;
  return Math.sqrt(sum / (to - from));
}

const PAIRS: [number, number][] = [
  [48000, 16000],
  [44100, 16000],
  [22050, 16000],
  [16000, 8000],
  [8000, 16000],
  [16000, 44100],
  [44100, 48000],
  [48000, 8000],
];

describe('resample', () => {
  it.each(PAIRS)('%i → %i Hz keeps a 1 kHz tone within 1e-3 and gives ⌈n·L/M⌉ samples', (from, to) => {
    const x = tone(1000, from, 0.25);
    const y = resample(x, from, to);
    expect(y.length).toBe(Math.ceil((x.length * to) / from));
    const err = middleRms(y, (i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / to));
    expect(err).toBeLessThan(1e-3 * 0.5);
  });

  it.each([
    [48000, 16000, 9000],
    [44100, 16000, 8300],
    [16000, 8000, 4200],
    [22050, 8000, 5000],
  ])('%i → %i Hz attenuates a %i Hz tone above the new Nyquist by ≥ 70 dB (anti-aliasing)', (from, to, hz) => {
    const y = resample(tone(hz, from, 0.25), from, to);
    const attenuationDb = 20 * Math.log10(middleRms(y) / (0.5 / Math.SQRT2));
    expect(attenuationDb).toBeLessThan(-70);
  });

  it('keeps a constant signal constant (unit DC gain in every phase)', () => {
    const y = resample(new Float32Array(4410).fill(0.25), 44100, 16000);
    expect(middleRms(y, () => 0.25)).toBeLessThan(1e-6);
  });

  it('returns a copy when the rates are equal, and rejects non-integer rates', () => {
    const x = tone(440, 8000, 0.01);
    const y = resample(x, 8000, 8000);
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
    expect(() => resample(x, 8000.5, 16000)).toThrow(ArgumentError);
    expect(() => resample(x, 8000, 0)).toThrow(/toRate/);
  });
});

describe('downmixToMono', () => {
  it('averages the channels', () => {
    const mono = downmixToMono([Float32Array.of(1, 0.5, -1), Float32Array.of(0, 0.5, 0), Float32Array.of(0.5, -1, -1)]);
    expect(Array.from(mono)).toEqual([0.5, 0, -2 / 3].map((v) => Math.fround(v)));
  });
  it('copies a single channel and rejects ragged or empty input', () => {
    const x = Float32Array.of(0.1, 0.2);
    expect(downmixToMono([x])).toEqual(x);
    expect(downmixToMono([x])).not.toBe(x);
    expect(() => downmixToMono([])).toThrow(/at least one channel/);
    expect(() => downmixToMono([x, Float32Array.of(1)])).toThrow(/channelData\[1\]\.length/);
  });
});
