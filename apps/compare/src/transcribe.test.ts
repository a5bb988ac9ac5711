import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { SequenceModel } from '@gated/cells';
import { errorRates, greedyDecode } from '@gated/ctc';
import { encodeWav, extractFeatures, loadConnectedDigitsAudio } from '@gated/datasets-speech';
import { exportOnnxFile, importOnnx } from '@gated/onnx';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';
import type { Transcript } from './transcriber.js';

// Made by tools/fixtures/compare/make-speech-ctc-model.sh (gated transcribe --train, BiLSTM H=48, 400 steps).
const MODEL = fileURLToPath(new URL('./__fixtures__/speech-ctc-lstm48.onnx', import.meta.url));
const CLIPS = 24;

describe('gated transcribe (ONNX acoustic model in onnxruntime-node, CTC decoding in JS)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gated-transcribe-'));
  let held: { file: string; digits: string; samples: Float32Array }[] = [];
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    const audio = await loadConnectedDigitsAudio();
    held = audio.utterances
      .filter((u) => u.split === 'test')
      .slice(0, CLIPS)
      .map((u, i) => {
        const file = join(dir, `clip-${i}.wav`);
        writeFileSync(file, encodeWav({ sampleRate: audio.sampleRate, channelData: [u.samples] }));
        return { file, digits: u.digits, samples: u.samples };
      });
  });

  it('transcribes held-out clips of voices never heard in training: the first exactly, 24 within 25% digit error rate', async () => {
    const printed: string[] = [];
    expect(await main(['transcribe', MODEL, ...held.map((h) => h.file), '--json'], (t) => void printed.push(t))).toBe(0);
    const results = printed.join('').trim().split('\n').map((l) => JSON.parse(l) as Transcript & { clip: string });
    expect(results.map((r) => r.clip)).toEqual(held.map((h) => h.file));
    expect(results[0]!.text).toBe(held[0]!.digits);
    const rates = errorRates(held.map((h) => [...h.digits]), results.map((r) => [...r.text]));
    expect(rates.tokenErrorRate).toBeLessThan(0.25);
    const plain: string[] = [];
    expect(await main(['transcribe', MODEL, held[0]!.file, '--beam', '1'], (t) => void plain.push(t))).toBe(0);
    expect(plain.join('')).toBe(`${held[0]!.file}: ${held[0]!.digits}\n`);
  });

  it('onnxruntime and the tfjs model imported from the same file decode every clip to the same digits', async () => {
    const imported = importOnnx(new Uint8Array(readFileSync(MODEL)));
    const model = imported.model!;
    const pipeline = imported.preprocessing.features as unknown as Parameters<typeof extractFeatures>[2];
    const { mean, std } = imported.preprocessing.scaler!;
    const printed: string[] = [];
    await main(['transcribe', MODEL, ...held.map((h) => h.file), '--json', '--beam', '1'], (t) => void printed.push(t));
    const onnx = printed.join('').trim().split('\n').map((l) => (JSON.parse(l) as Transcript).greedy);
    const before = tf.memory().numTensors;
    held.forEach((h, i) => {
      const feats = extractFeatures(h.samples, 8000, pipeline);
      const [T, F] = feats.shape;
      const x = tf.tidy(() => tf.div(tf.sub(tf.tensor3d(feats.data, [1, T, F]), tf.tensor1d(mean as number[])), tf.tensor1d(std as number[])));
      const logProbs = tf.tidy(() => tf.logSoftmax(model.forward(x, { lengths: [T] }).output));
      const [best] = greedyDecode(logProbs, [T], { batchFirst: true });
      expect(best!.tokens.map((c) => imported.preprocessing.vocabulary![c]).join('')).toBe(onnx[i]);
      tf.dispose([x, logProbs]);
    });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('a model without the transcriber metadata is a typed error (exit 1); a missing clip list is a usage error (exit 2)', async () => {
    const plain = new SequenceModel({ kind: 'gru', inputSize: 39, hiddenSize: 4, bidirectional: true, outputSize: 11, pooling: 'none', seed: 1 });
    const file = join(dir, 'plain.onnx');
    await exportOnnxFile(file, plain, { lengths: true });
    plain.dispose();
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      errors.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await main(['transcribe', file, held[0]!.file], () => {})).toBe(1);
      expect(errors.join('')).toMatch(/GATED_TRANSCRIBE_MODEL/);
      expect(await main(['transcribe', MODEL], () => {})).toBe(2);
      expect(await main(['transcribe', MODEL, held[0]!.file, '--steps', '3'], () => {})).toBe(2);
    } finally {
      process.stderr.write = write;
    }
  });
});
