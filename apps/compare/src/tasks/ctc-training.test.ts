import * as tf from '@tensorflow/tfjs-core';
import { SequenceModel } from '@gated/cells';
import { errorRates } from '@gated/ctc';
import { batchTranscripts, loadConnectedDigits } from '@gated/datasets-speech';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { predictor } from '../measure-seed.js';
import { classesToDigits, decodeBatch, digitTargets, trainCtc } from './ctc-training.js';
import { acousticModelOptions } from './speech-ctc-seed.js';

describe('CTC training of an acoustic model', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('digits map to classes 1…10 around the blank 0 and back', () => {
    expect(digitTargets([[0, 9, 9], []])).toEqual([[1, 10, 10], []]);
    expect(classesToDigits([1, 10, 5])).toEqual([0, 9, 4]);
  });

  it('overfits four utterances (loss falls, they decode exactly) and leaves no tensors behind', async () => {
    const corpus = await loadConnectedDigits({ maxPerSplit: 4 });
    const items = corpus.splits.train;
    const model = new SequenceModel(acousticModelOptions('gru', corpus.featureDim, 24, 1));
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    await trainCtc(model, batchTranscripts(items.length, (i) => items[i]!, { batchSize: 4 }), {
      steps: 150,
      learningRate: 0.02,
      clipNorm: 5,
      onStep: (_, loss) => void losses.push(loss),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(losses).toHaveLength(150);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.1);
    const batch = (await batchTranscripts(items.length, (i) => items[i]!, { batchSize: 4 })[Symbol.asyncIterator]().next()).value!;
    const decoded = decodeBatch(predictor(model), batch.x, batch.lengths);
    expect(errorRates(batch.tokens, decoded.greedy).tokenErrorRate).toBe(0);
    expect(errorRates(batch.tokens, decoded.beam).tokenErrorRate).toBe(0);
    tf.dispose([batch.x, batch.y, batch.lengths, batch.targetLengths]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
