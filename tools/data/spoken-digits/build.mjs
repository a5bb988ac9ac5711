#!/usr/bin/env node
// Builds the embedded spoken-digit set of @gated/datasets-speech:
//   packages/datasets-speech/data/spoken-digits.bin   (brotli-compressed 16-bit PCM, 8 kHz mono, all clips back to back)
//   packages/datasets-speech/data/spoken-digits.json  (index: one row per clip, voices, splits, generator versions)
//
// The speech is SYNTHETIC: espeak-ng (Debian package `espeak-ng`) says the English words "zero" … "nine" with
// many voice variants, accents, speeds, pitches and amplitudes; sox (Debian package `sox`) converts each clip
// to 8 kHz 16-bit and trims its leading/trailing silence; this script then adds a random gain, a time shift
// (leading/trailing silence) and light white noise. Splits are disjoint by voice variant, so the test split
// measures generalisation to voices never heard in training.
//
// Deterministic: every random choice draws from a seeded generator below; sox runs with -D (no dither), and
// espeak-ng renders the same text with the same options to the same samples. Built with espeak-ng 1.51
// (Debian 1.51+dfsg-10+deb12u2) and SoX 14.4.2 (Debian 14.4.2+git20190427-3.5); other versions may change samples.
//
// Run: node tools/data/spoken-digits/build.mjs        (about a minute on 2 cores)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatorInfo, packSamples, splitVoices, writeCorpus } from '../lib/corpus.mjs';
import { ACCENTS, SAMPLE_RATE, VOICES, augment, parallelMap, rng, synthesize } from '../lib/synth.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const OUT_DIR = join(ROOT, 'packages/datasets-speech/data');
const SEED = 20240611;
const RENDITIONS_PER_DIGIT = 3;
const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEST_VOICES = 8;
const VALIDATION_VOICES = 6;

async function main() {
  const r = rng(SEED);
  const { split, voices } = splitVoices(r, { test: TEST_VOICES, validation: VALIDATION_VOICES });

  const jobs = [];
  for (const voice of VOICES) {
    for (let label = 0; label < WORDS.length; label++) {
      for (let k = 0; k < RENDITIONS_PER_DIGIT; k++) {
        jobs.push({
          voice,
          label,
          accent: ACCENTS[r.int(ACCENTS.length)],
          speed: Math.round(r.range(120, 220)),
          pitch: Math.round(r.range(20, 80)),
          amplitude: Math.round(r.range(60, 160)),
          gain: Number(r.range(0.3, 1.0).toFixed(3)),
          shiftMs: Math.round(r.range(0, 150)),
          tailMs: Math.round(r.range(0, 80)),
          snrDb: Number(r.range(18, 40).toFixed(1)),
          noiseSeed: r.int(2 ** 31),
        });
      }
    }
  }

  const clips = await parallelMap(jobs.length, 3, async (i) => {
    const job = jobs[i];
    return augment(await synthesize(WORDS[job.label], job), job, rng(job.noiseSeed));
  });

  let total = 0;
  for (const c of clips) total += c.length;
  const pcm = new Int16Array(total);
  const utterances = [];
  let offset = 0;
  jobs.forEach((job, i) => {
    const clip = clips[i];
    pcm.set(clip, offset);
    utterances.push({
      offset,
      length: clip.length,
      label: job.label,
      voice: job.voice,
      split: split.get(job.voice),
      accent: job.accent,
      speed: job.speed,
      pitch: job.pitch,
      amplitude: job.amplitude,
      gain: job.gain,
      shiftMs: job.shiftMs,
      snrDb: job.snrDb,
    });
    offset += clip.length;
  });

  const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('this build script assumes a little-endian machine');
  const packed = packSamples(bytes);
  const index = {
    name: 'gated spoken digits (synthetic, espeak-ng)',
    version: 1,
    sampleRate: SAMPLE_RATE,
    encoding: 'pcm_s16le, brotli-compressed, clips back to back; offset/length in samples',
    labels: WORDS,
    totalSamples: total,
    generator: generatorInfo('tools/data/spoken-digits/build.mjs', SEED),
    voices,
    utterances,
  };
  writeCorpus(OUT_DIR, 'spoken-digits', packed, index);
  const seconds = total / SAMPLE_RATE;
  console.log(
    `${utterances.length} clips, ${seconds.toFixed(1)} s of audio, ${(bytes.length / 1e6).toFixed(2)} MB PCM → ` +
      `${(packed.length / 1e6).toFixed(2)} MB brotli; voices train/validation/test = ` +
      `${index.voices.train.length}/${index.voices.validation.length}/${index.voices.test.length}`,
  );
}

await main();
