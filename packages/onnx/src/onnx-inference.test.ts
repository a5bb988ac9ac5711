import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GRU, LSTM, SequenceModel } from '@gated/cells';
import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, exportOnnxFile } from './export-onnx.js';
import { PRODUCER_NAME, PRODUCER_VERSION } from './export-options.js';
import { importOnnxFile } from './import-onnx.js';
import { readOnnxInfo } from './model-info.js';
import { OnnxInference } from './onnx-inference.js';
import { dumpModel } from './test-utils/ort.js';
import { maxAbsDiff } from './test-utils/reference-rnn.js';

let dir = '';
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  dir = await mkdtemp(join(tmpdir(), 'gated-onnx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('OnnxInference', () => {
  it('takes the same x, lengths and initial state as the tfjs forward and returns the same outputs (1e-5)', async () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 5, numLayers: 2, seed: 4 });
    const bytes = exportOnnx(lstm, { lengths: true, initialState: true });
    dumpModel(bytes);
    const onnx = await OnnxInference.create(bytes);
    const x = tf.randomUniform([2, 6, 3], -1, 1, 'float32', 3) as tf.Tensor3D;
    const initialState = {
      hidden: tf.randomUniform([2, 2, 5], -1, 1, 'float32', 4) as tf.Tensor3D,
      cell: tf.randomUniform([2, 2, 5], -1, 1, 'float32', 5) as tf.Tensor3D,
    };
    const ours = lstm.forward(x, { lengths: [6, 2], initialState });
    const theirs = await onnx.run(x, { lengths: [6, 2], initialState });
    expect(theirs.output.shape).toEqual(ours.output.shape);
    expect(maxAbsDiff(theirs.output.dataSync(), ours.output.dataSync())).toBeLessThan(1e-5);
    expect(maxAbsDiff(theirs.cell!.dataSync(), ours.cell!.dataSync())).toBeLessThan(1e-5);
    const timing = await onnx.time(x, { lengths: [6, 2], initialState }, { warmup: 1, repeats: 3 });
    expect(timing.repeats).toBe(3);
    expect(timing.minMs).toBeGreaterThan(0);
    expect(timing.minMs).toBeLessThanOrEqual(timing.medianMs);
    await expect(onnx.run(x, { lengths: [6, 2] })).rejects.toThrow(/initialState/);
    await onnx.release();
    tf.dispose([x, initialState.hidden, initialState.cell, ours.output, ours.hidden, ours.cell!, theirs.output, theirs.hidden!, theirs.cell!]);
    lstm.dispose();
  });

  it('fills full lengths when the model has a lengths input and none is given, and refuses lengths a model lacks', async () => {
    const gru = new GRU({ inputSize: 2, hiddenSize: 3, seed: 1 });
    const x = tf.randomUniform([3, 4, 2], -1, 1, 'float32', 9) as tf.Tensor3D;
    const withLengths = await OnnxInference.create(exportOnnx(gru, { lengths: true }));
    const plain = await OnnxInference.create(exportOnnx(gru));
    const a = await withLengths.run(x);
    const b = await plain.run(x);
    expect(maxAbsDiff(a.output.dataSync(), b.output.dataSync())).toBeLessThan(1e-6);
    await expect(plain.run(x, { lengths: [1, 2, 3] })).rejects.toThrow(/lengths: true/);
    // time-major: the filled lengths come from x's first axis being time
    const tm = new GRU({ inputSize: 2, hiddenSize: 3, seed: 1, batchFirst: false });
    const tmOnnx = await OnnxInference.create(exportOnnx(tm, { lengths: true }));
    const xt = tf.transpose(x, [1, 0, 2]) as tf.Tensor3D;
    const c = await tmOnnx.run(xt);
    const d = tm.forward(xt);
    expect(maxAbsDiff(c.output.dataSync(), d.output.dataSync())).toBeLessThan(1e-5);
    await tmOnnx.release();
    tf.dispose([xt, c.output, c.hidden!, d.output, d.hidden]);
    tm.dispose();
    await withLengths.release();
    await plain.release();
    tf.dispose([x, a.output, a.hidden!, b.output, b.hidden!]);
    gru.dispose();
  });

  it('runs a token SequenceModel from int32 ids, with probabilities, like model.forward', async () => {
    const model = new SequenceModel({ kind: 'gru', vocabSize: 12, embeddingDim: 4, hiddenSize: 5, outputSize: 12, pooling: 'none', seed: 2 });
    const onnx = await OnnxInference.create(exportOnnx(model, { softmax: true }));
    const ids = tf.tensor2d([1, 5, 7, 11, 0, 3], [2, 3], 'int32');
    const ours = model.forward(ids);
    const theirs = await onnx.run(ids);
    expect(theirs.output.shape).toEqual([2, 3, 12]);
    expect(maxAbsDiff(theirs.output.dataSync(), ours.output.dataSync())).toBeLessThan(1e-5);
    const probs = tf.softmax(ours.output);
    expect(maxAbsDiff(theirs.probabilities!.dataSync(), probs.dataSync())).toBeLessThan(1e-5);
    await onnx.release();
    tf.dispose([ids, ours.output, ours.state.hidden, theirs.output, theirs.hidden!, theirs.probabilities!, probs]);
    model.dispose();
  });
});

describe('files and metadata', () => {
  it('exportOnnxFile writes a model that importOnnxFile and OnnxInference read back', async () => {
    const gru = new GRU({ inputSize: 2, hiddenSize: 3, seed: 2 });
    const path = join(dir, 'gru.onnx');
    await exportOnnxFile(path, gru, {
      lengths: true,
      preprocessing: { scaler: { mean: [0.5, 1], std: [2, 3] }, features: { window: 16 }, task: 'toy-series' },
      metadata: { dataset: 'synthetic' },
      docString: 'a toy GRU',
    });
    const info = readOnnxInfo(new Uint8Array(readFileSync(path)));
    expect(info).toMatchObject({
      irVersion: 8,
      opset: 14,
      producerName: PRODUCER_NAME,
      producerVersion: PRODUCER_VERSION,
      docString: 'a toy GRU',
      inputs: ['input', 'lengths'],
      outputs: ['output', 'hidden'],
      preprocessing: { scaler: { mean: [0.5, 1], std: [2, 3] }, features: { window: 16 }, task: 'toy-series' },
    });
    expect(info.metadata['dataset']).toBe('synthetic');
    const { layer, preprocessing } = await importOnnxFile(path);
    expect(preprocessing.task).toBe('toy-series');
    expect(layer.countParams()).toBe(gru.countParams());
    const onnx = await OnnxInference.create(path);
    expect(onnx.info.inputs).toEqual(['input', 'lengths']);
    await onnx.release();
    layer.dispose();
    gru.dispose();
  });

  it('PRODUCER_VERSION is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(PRODUCER_VERSION).toBe(pkg.version);
  });

  it('metadata keys under "gated." are reserved', () => {
    const gru = new GRU({ inputSize: 2, hiddenSize: 3 });
    expect(() => exportOnnx(gru, { metadata: { 'gated.task': 'x' } })).toThrow(/gated\./);
    gru.dispose();
  });
});
