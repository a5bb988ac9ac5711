import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { CtcError, ctcLoss, greedyDecode, prefixBeamSearch } from './index.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CtcError);
    return (error as CtcError).code;
  }
  return undefined;
}

describe('bad input to ctcLoss and the decoders gets typed errors', () => {
  let lp: tf.Tensor3D;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    lp = tf.logSoftmax(tf.randomNormal([6, 2, 5], 0, 1, 'float32', 1)) as tf.Tensor3D;
  });

  it('a label equal to the blank or outside 0..C-1 is GATED_CTC_BAD_LABEL, naming the batch item and position', () => {
    expect(codeOf(() => ctcLoss(lp, [[1, 0], [2]], [6, 6]))).toBe('GATED_CTC_BAD_LABEL');
    expect(codeOf(() => ctcLoss(lp, [[1, 5], [2]], [6, 6]))).toBe('GATED_CTC_BAD_LABEL');
    expect(codeOf(() => ctcLoss(lp, [[1], [-1]], [6, 6]))).toBe('GATED_CTC_BAD_LABEL');
    expect(codeOf(() => ctcLoss(lp, [[1], [1.5]], [6, 6]))).toBe('GATED_CTC_BAD_LABEL');
    expect(codeOf(() => ctcLoss(lp, [[1, 4], [2]], [6, 6], undefined, { blank: 4 }))).toBe('GATED_CTC_BAD_LABEL');
    try {
      ctcLoss(lp, [[1, 2], [3, 0]], [6, 6]);
    } catch (error) {
      expect((error as CtcError).details).toMatchObject({ batch: 1, position: 1, actual: '0' });
      expect((error as Error).message).toMatch(/targets\[1\]\[1\].*blank/);
    }
  });

  it('a target with more labels than its input has frames is GATED_CTC_TARGET_TOO_LONG, and gives 0 with zeroInfinity', () => {
    expect(codeOf(() => ctcLoss(lp, [[1, 2, 3], [2]], [2, 6]))).toBe('GATED_CTC_TARGET_TOO_LONG');
    const loss = ctcLoss(lp, [[1, 2, 3], [2]], [2, 6], undefined, { zeroInfinity: true, reduction: 'none' });
    expect(loss.dataSync()[0]).toBe(0);
    loss.dispose();
  });

  it('lengths out of range, of the wrong count, or longer than the padded targets are GATED_CTC_BAD_LENGTH / BAD_SHAPE', () => {
    expect(codeOf(() => ctcLoss(lp, [[1], [2]], [7, 6]))).toBe('GATED_CTC_BAD_LENGTH');
    expect(codeOf(() => ctcLoss(lp, [[1], [2]], [-1, 6]))).toBe('GATED_CTC_BAD_LENGTH');
    expect(codeOf(() => ctcLoss(lp, [[1], [2]], [6]))).toBe('GATED_CTC_BAD_SHAPE');
    expect(codeOf(() => ctcLoss(lp, [[1], [2]], [6, 6], [2, 1]))).toBe('GATED_CTC_BAD_LENGTH');
    const padded = tf.tensor2d([1, 2, 3, 0], [2, 2], 'int32');
    expect(codeOf(() => ctcLoss(lp, padded, [6, 6], [3, 1]))).toBe('GATED_CTC_BAD_LENGTH');
    expect(codeOf(() => ctcLoss(lp, padded, [6, 6]))).toBe('GATED_CTC_BAD_SHAPE');
    padded.dispose();
    expect(codeOf(() => ctcLoss(lp, [[1]], [6]))).toBe('GATED_CTC_BAD_SHAPE');
  });

  it('unknown options and invalid values are rejected, with a suggestion', () => {
    expect(() => ctcLoss(lp, [[1], [2]], [6, 6], undefined, { reductoin: 'sum' } as never)).toThrow(/did you mean 'reduction'/);
    expect(codeOf(() => ctcLoss(lp, [[1], [2]], [6, 6], undefined, { reduction: 'avg' as never }))).toBe('GATED_CTC_BAD_OPTION');
    expect(codeOf(() => ctcLoss(lp, [[1], [2]], [6, 6], undefined, { blank: 5 }))).toBe('GATED_CTC_BAD_OPTION');
    expect(codeOf(() => greedyDecode(lp, undefined, { blank: -1 }))).toBe('GATED_CTC_BAD_OPTION');
    expect(codeOf(() => prefixBeamSearch(lp, undefined, { beamWidth: 0 }))).toBe('GATED_CTC_BAD_OPTION');
    expect(() => prefixBeamSearch(lp, undefined, { beamwidth: 4 } as never)).toThrow(/did you mean 'beamWidth'/);
  });

  it('logProbs of the wrong rank or dtype are GATED_CTC_BAD_SHAPE', () => {
    const flat = tf.zeros([6, 5]);
    const ints = tf.zeros([6, 2, 5], 'int32');
    expect(codeOf(() => ctcLoss(flat, [[1]], [6]))).toBe('GATED_CTC_BAD_SHAPE');
    expect(codeOf(() => ctcLoss(ints, [[1], [2]], [6, 6]))).toBe('GATED_CTC_BAD_SHAPE');
    expect(codeOf(() => greedyDecode({ data: new Float32Array(7), shape: [2, 2, 2] }))).toBe('GATED_CTC_BAD_SHAPE');
    tf.dispose([flat, ints]);
  });
});
