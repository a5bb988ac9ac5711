import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, readSafetensorsFile } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { StateDictError } from './errors.js';
import { GRU } from './layer/gru.js';
import { LSTM } from './layer/lstm.js';
import { SequenceModel } from './sequence-model.js';
import { type TorchFixture, maxAbsDiff, maxAbsDiffTensors, toTensor } from './test-utils/fixtures.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

describe('safetensors files', () => {
  it('loads a PyTorch-named safetensors file and reproduces PyTorch’s output within 1e-5', async () => {
    const f = JSON.parse(readFileSync(fixture('torch-gru-2l-bi-lengths.json'), 'utf8')) as TorchFixture;
    const gru = new GRU({ inputSize: 4, hiddenSize: 6, numLayers: 2, bidirectional: true });
    await gru.loadTorchStateDictFile(fixture('state-dict-gru-2l-bi-lengths.safetensors'));
    const x = toTensor(f.x) as tf.Tensor3D;
    const { output, hidden } = gru.forward(x, { lengths: f.lengths! });
    expect(maxAbsDiff(output, f.expected.output)).toBeLessThan(1e-5);
    expect(maxAbsDiff(hidden, f.expected.hidden)).toBeLessThan(1e-5);
    tf.dispose([x, output, hidden]);
    gru.dispose();
  });

  it('saves with PyTorch names and format metadata, and loads back into a fresh model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gated-cells-'));
    const path = join(dir, 'model.safetensors');
    const opts = { kind: 'lstm', inputSize: 3, hiddenSize: 4, projSize: 2, outputSize: 2, pooling: 'last' } as const;
    const a = new SequenceModel({ ...opts, seed: 1 });
    const b = new SequenceModel({ ...opts, seed: 2 });
    await a.saveTorchStateDict(path);
    const file = await readSafetensorsFile(path);
    expect(file.metadata['format']).toBe('pt');
    expect(Object.keys(file.tensors).sort()).toEqual(Object.keys(a.parameters()).sort());
    await b.loadTorchStateDictFile(path);
    for (const [k, v] of Object.entries(a.parameters())) expect(maxAbsDiffTensors(v, b.parameters()[k]!)).toBe(0);
    a.dispose();
    b.dispose();
  });

  it('rejects a file for another configuration, naming the key', async () => {
    const lstm = new LSTM({ inputSize: 4, hiddenSize: 6 });
    await expect(lstm.loadTorchStateDictFile(fixture('state-dict-gru-2l-bi-lengths.safetensors'))).rejects.toThrow(StateDictError);
    await expect(lstm.loadTorchStateDictFile(fixture('state-dict-gru-2l-bi-lengths.safetensors'))).rejects.toThrow(/weight_ih_l0/);
    lstm.dispose();
  });
});
