import * as tf from '@tensorflow/tfjs-core';
import { inMemoryDataset, initBackend, tensorDataset } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { caught } from '../../../tools/test-utils/public-options.js';
import { LabelRangeError } from './errors.js';
import { evaluate } from './evaluate.js';
import { fit } from './fit.js';
import { computeLoss, lengthMask } from './losses.js';
import { signExamples } from './test-utils/data.js';
import { TinyRnn } from './test-utils/tiny-rnn.js';
import { present } from './test-utils/present.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const quiet = { progress: 'none' } as const;

describe('class ids outside the model output are typed errors, not a silent loss of 0', () => {
  it('computeLoss refuses a class id ≥ outputSize, a negative one and a fractional one, naming the position', async () => {
    const output = tf.zeros([3, 4]);
    for (const [bad, value] of [
      [tf.tensor1d([0, 4, 1], 'int32'), 4],
      [tf.tensor1d([0, 1, -1], 'int32'), -1],
      [tf.tensor1d([0, 1.5, 1], 'float32'), 1.5],
    ] as const) {
      const error = await caught(() => computeLoss('crossEntropy', output, bad));
      expect(error).toBeInstanceOf(LabelRangeError);
      expect((error as LabelRangeError).code).toBe('GATED_LABEL_OUT_OF_RANGE');
      expect((error as LabelRangeError).details.value).toBe(value);
      expect((error as Error).message).toContain('expected an integer class id in 0..3');
      bad.dispose();
    }
    output.dispose();
  });

  it('ignores padded positions, so any pad value is allowed there', () => {
    const output = tf.zeros([2, 2, 3]);
    const y = tf.tensor2d([[1, 2], [0, -100]], [2, 2], 'int32');
    const weights = lengthMask(tf.tensor1d([2, 1], 'int32'), 2);
    const { loss, stats } = computeLoss('crossEntropy', output, y, weights);
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(3), 5);
    const bad = tf.tensor2d([[1, 2], [7, 0]], [2, 2], 'int32');
    expect(() => computeLoss('crossEntropy', output, bad, weights)).toThrow(/y\[1, 0\].*got 7/);
    tf.dispose([output, y, weights, loss, stats, bad]);
  });

  it('fit names the batch, epoch and step where a label is out of range, and leaks no tensors', async () => {
    const model = new TinyRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, perStep: false, seed: 1 });
    const examples = signExamples(12, 1);
    examples[9] = { ...present(examples[9], 'example 9'), y: 2 }; // outputSize is 2: ids 0..1
    const data = inMemoryDataset(examples, { batchSize: 4, yDtype: 'int32' });
    const before = tf.memory().numTensors;
    const error = await caught(() => fit(model, data, { ...quiet, epochs: 1 }));
    expect(error).toBeInstanceOf(LabelRangeError);
    expect((error as LabelRangeError).details).toMatchObject({ value: 2, position: [1], classes: 2, batch: 3, epoch: 0, step: 3 });
    expect((error as Error).message).toBe(
      "targets y[1] in batch 3 of epoch 0 (step 3): expected an integer class id in 0..1 (the model's outputSize is 2), got 2",
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('fit refuses a negative per-step target of a language model', async () => {
    const model = new TinyRnn({ vocabSize: 4, hiddenSize: 4, outputSize: 4, perStep: true, seed: 2 });
    const x = tf.tensor2d([[0, 1, 2], [1, 2, 3]], [2, 3], 'int32');
    const y = tf.tensor2d([[1, 2, 3], [2, 3, -1]], [2, 3], 'int32');
    const error = await caught(() => fit(model, tensorDataset({ x, y }, { batchSize: 2 }), { ...quiet, epochs: 1 }));
    expect(error).toBeInstanceOf(LabelRangeError);
    expect((error as LabelRangeError).details.position).toEqual([1, 2]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('evaluate names the batch with the out-of-range label', async () => {
    const model = new TinyRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, perStep: false, seed: 1 });
    const examples = signExamples(8, 2);
    examples[6] = { ...present(examples[6], 'example 6'), y: 5 };
    const error = await caught(() => evaluate(model, inMemoryDataset(examples, { batchSize: 4, yDtype: 'int32' }), { metrics: ['accuracy'] }));
    expect(error).toBeInstanceOf(LabelRangeError);
    expect((error as LabelRangeError).details).toMatchObject({ value: 5, position: [2], batch: 2 });
    model.dispose();
  });
});
