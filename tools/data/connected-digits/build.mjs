#!/usr/bin/env node
// Builds the embedded connected-digit corpus of @gated/datasets-speech:
//   packages/datasets-speech/data/connected-digits.bin   (brotli-compressed 8-bit G.711 µ-law, 8 kHz mono, clips back to back)
//   packages/datasets-speech/data/connected-digits.json  (index: one row per utterance with its digit string, voices, splits)
//
// The speech is SYNTHETIC, made with the machinery of the spoken-digit set (tools/data/lib/synth.mjs): espeak-ng
// says strings of 1–7 digits ("three one four") as connected speech with 50 voice variants, 8 accents, varied
// speed, pitch, amplitude and pause between words; sox converts to 8 kHz and trims silence; this script adds a
// random gain, leading/trailing silence and white noise (SNR 12–40 dB). Splits are disjoint by voice, so test
// error rates measure generalisation to voices never heard in training.
//
// Audio is stored as µ-law (ITU-T G.711), telephone-band 8-bit: half the bytes of 16-bit PCM with ~38 dB SNR,
// above the noise we add, which keeps the corpus small enough to ship inside the package.
//
// Deterministic: every random choice draws from the seeded generator; built with espeak-ng 1.51 and SoX 14.4.2.
// Run: node tools/data/connected-digits/build.mjs        (a few minutes on 2 cores)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatorInfo, packSamples, splitVoices, writeCorpus } from '../lib/corpus.mjs';
import { ACCENTS, SAMPLE_RATE, VOICES, augment, parallelMap, rng, synthesize } from '../lib/synth.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const OUT_DIR = join(ROOT, 'packages/datasets-speech/data');
const SEED = 20261130;
const UTTERANCES_PER_VOICE = 20;
const MIN_DIGITS = 1;
const MAX_DIGITS = 7;
const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEST_VOICES = 8;
const VALIDATION_VOICES = 6;

// G.711 µ-law of a 16-bit sample (bias 0x84, clip 32635), as the reference C implementation.
function muLawEncode(sample) {
  const sign = sample < 0 ? 0x80 : 0;
  const magnitude = Math.min(Math.abs(sample), 32635) + 0x84;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

async function main() {
  const r = rng(SEED);
  const { split, voices } = splitVoices(r, { test: TEST_VOICES, validation: VALIDATION_VOICES });

  const jobs = [];
  for (const voice of VOICES) {
    for (let k = 0; k < UTTERANCES_PER_VOICE; k++) {
      const n = MIN_DIGITS + r.int(MAX_DIGITS - MIN_DIGITS + 1);
      const digits = Array.from({ length: n }, () => r.int(10)).join('');
      jobs.push({
        voice,
        digits,
        accent: ACCENTS[r.int(ACCENTS.length)],
        speed: Math.round(r.range(130, 220)),
        pitch: Math.round(r.range(20, 80)),
        amplitude: Math.round(r.range(60, 160)),
        // espeak-ng -g: extra pause between words, in 10 ms units.
        wordGap: r.int(4),
        gain: Number(r.range(0.3, 1.0).toFixed(3)),
        shiftMs: Math.round(r.range(0, 150)),
        tailMs: Math.round(r.range(0, 100)),
        snrDb: Number(r.range(12, 40).toFixed(1)),
        noiseSeed: r.int(2 ** 31),
      });
    }
  }

  const clips = await parallelMap(jobs.length, 3, async (i) => {
    const job = jobs[i];
    const text = [...job.digits].map((d) => WORDS[Number(d)]).join(' ');
    return augment(await synthesize(text, job, ['-g', String(job.wordGap)]), job, rng(job.noiseSeed));
  });

  let total = 0;
  for (const c of clips) total += c.length;
  const bytes = new Uint8Array(total);
  const utterances = [];
  let offset = 0;
  jobs.forEach((job, i) => {
    const clip = clips[i];
    for (let k = 0; k < clip.length; k++) bytes[offset + k] = muLawEncode(clip[k]);
    const { noiseSeed: _, ...params } = job;
    utterances.push({ offset, length: clip.length, split: split.get(job.voice), ...params });
    offset += clip.length;
  });

  const packed = packSamples(bytes);
  const index = {
    name: 'gated connected digits (synthetic, espeak-ng)',
    version: 1,
    sampleRate: SAMPLE_RATE,
    encoding: 'G.711 mu-law 8-bit, brotli-compressed, clips back to back; offset/length in samples',
    words: WORDS,
    totalSamples: total,
    generator: generatorInfo('tools/data/connected-digits/build.mjs', SEED),
    voices,
    utterances,
  };
  writeCorpus(OUT_DIR, 'connected-digits', packed, index);
  const seconds = total / SAMPLE_RATE;
  const digits = utterances.reduce((s, u) => s + u.digits.length, 0);
  console.log(
    `${utterances.length} utterances, ${digits} digits, ${seconds.toFixed(1)} s of audio, ${(bytes.length / 1e6).toFixed(2)} MB µ-law → ` +
      `${(packed.length / 1e6).toFixed(2)} MB brotli; voices train/validation/test = ` +
      `${index.voices.train.length}/${index.voices.validation.length}/${index.voices.test.length}`,
  );
}

await main();
