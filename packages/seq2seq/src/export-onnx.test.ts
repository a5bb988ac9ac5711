import * as tf from '@tensorflow/tfjs-core';
import { OnnxEncoderDecoder } from '@gated/onnx';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportSeq2SeqOnnx } from './export-onnx.js';
import { greedyDecode } from './greedy-decode.js';
import { Seq2Seq } from './seq2seq.js';
import type { Seq2SeqOptions } from './seq2seq-options.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const SOURCES = [[1, 2, 3, 4, 5, 6, 7], [8, 3], [5, 5, 1, 9], [2], [9, 8, 7, 6, 5, 4, 3, 2, 1]];

describe('ONNX export of the encoder and one decoder step', () => {
  const cases: [string, Partial<Seq2SeqOptions>][] = [
    ['LSTM, 2 layers, general attention, input feeding', { kind: 'lstm', numLayers: 2, attention: 'general' }],
    ['GRU, additive attention, input feeding', { kind: 'gru', attention: 'additive', attentionSize: 6 }],
    ['LSTM, dot attention, no input feeding', { kind: 'lstm', attention: 'dot', inputFeeding: false }],
    ['GRU, 2 layers, no attention, unidirectional encoder', { kind: 'gru', numLayers: 2, attention: 'none', bidirectional: false }],
  ];
  for (const [name, options] of cases) {
    it(`${name}: a JS loop over onnxruntime reproduces the tfjs greedy tokens exactly, attention within 1e-5`, async () => {
      const model = new Seq2Seq({ kind: 'lstm', sourceVocabSize: 10, targetVocabSize: 12, hiddenSize: 8, embeddingDim: 5, seed: 5, ...options });
      // Larger weights give peaked, input-dependent outputs of several tokens.
      for (const v of Object.values(model.parameters())) v.assign(tf.tidy(() => tf.mul(v, 2.5)));
      const expected = greedyDecode(model, SOURCES, { maxLength: 12 });
      const { encoder, decoderStep } = exportSeq2SeqOnnx(model);
      const ort = await OnnxEncoderDecoder.create(encoder, decoderStep);
      const actual = await ort.greedy(SOURCES, { maxLength: 12 });
      await ort.release();
      expect(actual.map((r) => r.tokens)).toEqual(expected.map((h) => h.tokens));
      expect(actual.map((r) => r.finished)).toEqual(expected.map((h) => h.finished));
      expect(expected.some((h) => h.tokens.length > 1)).toBe(true);
      actual.forEach((r, i) => {
        const e = expected[i]!.attention.flat();
        const a = r.attention.flat();
        expect(a.length).toBe(e.length);
        expect(Math.max(0, ...a.map((v, j) => Math.abs(v - e[j]!)))).toBeLessThan(1e-5);
      });
      model.dispose();
    });
  }
});
