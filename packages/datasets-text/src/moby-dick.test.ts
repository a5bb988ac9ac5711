import { LanguageModelDataset, initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMobyDickLM, loadMobyDickText } from './moby-dick.js';
import { RandomWindowDataset } from './random-window-dataset.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('Moby-Dick', () => {
  it('loads the whole book from the installed package, in reading order, without the table of contents', async () => {
    const text = await loadMobyDickText();
    expect(text.length).toBeGreaterThan(1_200_000);
    expect(text.startsWith('ETYMOLOGY.')).toBe(true);
    expect(text).toContain('CHAPTER 1. Loomings.\n\nCall me Ishmael.');
    expect(text.indexOf('CHAPTER 2. The Carpet-Bag.')).toBeGreaterThan(text.indexOf('CHAPTER 1. Loomings.'));
    expect(text.endsWith('only found another orphan.')).toBe(true);
    expect(text).not.toContain('CONTENTS');
  });

  it('builds the char LM task: tokenizer fitted on the training range only, contiguous splits, [B, T] int32 batches', async () => {
    const lm = await loadMobyDickLM({ seqLen: 50, batchSize: 8, maxChars: 100_000, split: { train: 0.8, validation: 0.1, test: 0.1 } });
    expect(lm.ranges).toEqual({ train: [0, 80_000], validation: [80_000, 90_000], test: [90_000, 100_000] });
    expect(lm.characters).toEqual({ train: 80_000, validation: 10_000, test: 10_000 });
    const text = await loadMobyDickText({ maxChars: 100_000 });
    const trainChars = new Set(text.slice(0, 80_000));
    expect(lm.vocabSize).toBe(trainChars.size + 4);
    expect(lm.tokenizer.decode(lm.ids.validation)).toBe(
      Array.from(text.slice(80_000, 90_000), (c) => (trainChars.has(c) ? c : '<unk>')).join(''),
    );
    expect(lm.train).toBeInstanceOf(LanguageModelDataset);
    expect(lm.train.size).toBe(Math.ceil((Math.floor(80_000 / 8) - 1) / 50));
    const before = tf.memory().numTensors;
    const first = await lm.train[Symbol.asyncIterator]().next();
    const { x, y } = first.value as { x: tf.Tensor; y: tf.Tensor };
    expect(x.shape).toEqual([8, 50]);
    expect(x.dtype).toBe('int32');
    expect(lm.tokenizer.decode((x.arraySync() as number[][])[0]!)).toBe(text.slice(0, 50));
    expect(lm.tokenizer.decode((y.arraySync() as number[][])[0]!)).toBe(text.slice(1, 51));
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('offers random-window training batches while validation and test stay contiguous', async () => {
    const lm = await loadMobyDickLM({ seqLen: 64, batchSize: 4, maxChars: 50_000, sampling: 'random', seed: 3, batchesPerEpoch: 5 });
    expect(lm.train).toBeInstanceOf(RandomWindowDataset);
    expect(lm.train.size).toBe(5);
    expect(lm.validation).toBeInstanceOf(LanguageModelDataset);
  });
});
