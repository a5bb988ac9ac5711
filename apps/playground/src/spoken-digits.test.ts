import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliDecompressSync, gzipSync } from 'node:zlib';
import { loadSpokenDigitsAudio } from '@gated/datasets-speech';
import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSettings } from './protocol.js';
import { createSession, disposeSession, inspect, trainStep } from './session.js';
import { SPOKEN_DIGITS_INDEX, SPOKEN_DIGITS_SAMPLES, fetchSpokenDigits, heldOutAccuracy, setSpokenDigitsAudio } from './task-spoken-digits.js';
import { TASK_DEFAULTS } from './task-info.js';

const data = join(dirname(createRequire(import.meta.url).resolve('@gated/datasets-speech/package.json')), 'data');
const settings: RunSettings = { task: 'spoken-digits', ...TASK_DEFAULTS['spoken-digits'], hiddenSize: 16, seed: 5 };

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  // What the build emits (vite.config.ts): the index as is, the brotli-packed samples decoded and gzipped.
  const index = await readFile(join(data, 'spoken-digits.json'));
  const samples = gzipSync(brotliDecompressSync(await readFile(join(data, 'spoken-digits.bin'))));
  const served: Record<string, Buffer> = { [SPOKEN_DIGITS_INDEX]: index, [SPOKEN_DIGITS_SAMPLES]: samples };
  const fakeFetch = (async (url: URL) => {
    const body = served[url.pathname.split('/').pop() ?? ''];
    return body === undefined ? new Response('missing', { status: 404 }) : new Response(new Uint8Array(body));
  }) as unknown as typeof fetch;
  const audio = await fetchSpokenDigits('http://127.0.0.1/assets/', fakeFetch);
  // The same clips as the package's Node loader (the one decoding path: spokenDigitsFromBytes).
  const node = await loadSpokenDigitsAudio();
  expect(audio.clips.length).toBe(node.clips.length);
  for (const i of [0, 777, node.clips.length - 1]) {
    expect(audio.clips[i]?.label).toBe(node.clips[i]?.label);
    expect(audio.clips[i]?.voice).toBe(node.clips[i]?.voice);
    expect(Array.from(audio.clips[i]?.samples ?? [])).toEqual(Array.from(node.clips[i]?.samples ?? []));
  }
  const prepared = setSpokenDigitsAudio(audio);
  expect(prepared.train.length).toBe(36 * 30);
  expect(prepared.test.length).toBe(8 * 30);
  expect(prepared.train[0]?.features.shape[1]).toBe(39);
}, 120_000);

describe('the spoken-digits task (held-out voices)', () => {
  it('a few training steps reduce the cross-entropy, for LSTM and GRU, and accuracy is a fraction', () => {
    for (const kind of ['lstm', 'gru'] as const) {
      const s = createSession(kind, { ...settings, learningRate: 0.02 });
      const losses = Array.from({ length: 25 }, () => trainStep(s).loss);
      const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(losses[0]).toBeGreaterThan(1.8); // ≈ ln 10 at initialisation
      expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)));
      const before = tf.memory().numTensors;
      const accuracy = heldOutAccuracy(s.model, settings.seqLen);
      expect(tf.memory().numTensors).toBe(before);
      expect(accuracy).toBeGreaterThanOrEqual(0);
      expect(accuracy).toBeLessThanOrEqual(1);
      disposeSession(s);
    }
  }, 120_000);

  it('the probe clips come from held-out voices and are labelled with their digit where they have frames', () => {
    const s = createSession('gru', settings);
    const { labels, gates } = inspect(s);
    expect(labels).toHaveLength(4);
    for (const l of labels) {
      expect(l).toHaveLength(settings.seqLen);
      expect(['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']).toContain(l[l.length - 1]);
    }
    expect(gates.map((g) => g.name)).toEqual(['reset', 'update']);
    disposeSession(s);
  }, 60_000);
});
