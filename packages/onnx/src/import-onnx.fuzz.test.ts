import { GRU, LSTM, SequenceModel, StateDictError } from '@gated/cells';
import { initBackend } from '@gated/tensor';
import { OnnxFormatError, OnnxUnsupportedError } from './errors.js';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import { importOnnx } from './import-onnx.js';
import { readOnnxInfo } from './model-info.js';
import { bytesNear, fuzzParameters, parsesOrThrowsTyped } from '../../../tools/test-utils/fuzz.js';

const TYPED = [OnnxFormatError, OnnxUnsupportedError, StateDictError];
let valid: Uint8Array[] = [];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const lstm = new LSTM({ inputSize: 2, hiddenSize: 3, bidirectional: true });
  const gru = new GRU({ inputSize: 2, hiddenSize: 2, numLayers: 2 });
  const model = new SequenceModel({ kind: 'lstm', vocabSize: 5, embeddingDim: 2, hiddenSize: 3, outputSize: 4, pooling: 'last' });
  valid = [exportOnnx(lstm, { lengths: true }), exportOnnx(gru, { initialState: true }), exportOnnx(model, { softmax: true, preprocessing: { task: 'x' } })];
  for (const m of [lstm, gru, model]) m.dispose();
});

// Import builds layers (tf variables); whatever it returns is disposed, and a failure must leave nothing behind.
function importAndDispose(bytes: Uint8Array): void {
  const imported = importOnnx(bytes);
  (imported.model ?? imported.layer).dispose();
}

describe('ONNX import under fuzzing: a model or a typed GatedError (OnnxFormatError / OnnxUnsupportedError / StateDictError), within 2 s', () => {
  it('importOnnx and readOnnxInfo over any bytes and mutations of exported models', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constant(null).chain(() => bytesNear(...valid)), async (bytes) => {
        const before = tf.memory().numTensors;
        await parsesOrThrowsTyped(bytes, importAndDispose, TYPED);
        await parsesOrThrowsTyped(bytes, readOnnxInfo, TYPED);
        expect(tf.memory().numTensors).toBe(before);
      }),
      fuzzParameters(150),
    );
  });
});
