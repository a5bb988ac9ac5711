import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { ctcLoss, type CtcReduction } from './index.js';

type Num = number | 'inf' | '-inf' | 'nan';
interface Case {
  name: string;
  T: number;
  B: number;
  C: number;
  S: number;
  blank: number;
  reduction: CtcReduction;
  zeroInfinity: boolean;
  logits: Num[];
  logProbs: Num[];
  targets: number[];
  targetLists: number[][];
  inputLengths: number[];
  targetLengths: number[];
  upstream: Num[];
  loss: Num[];
  gradLogProbs: Num[];
  gradLogits: Num[];
}
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/torch-ctc.json', import.meta.url), 'utf8')) as { torch: string; cases: Case[] };
const num = (v: Num): number => (v === 'inf' ? Number.POSITIVE_INFINITY : v === '-inf' ? Number.NEGATIVE_INFINITY : v === 'nan' ? Number.NaN : v);
const nums = (vs: Num[]): number[] => vs.map(num);

// Tolerances of the issue: loss 1e-5 relative, gradients 1e-4 absolute (PyTorch computes in float32, we in float64).
const LOSS_RTOL = 1e-5;
const GRAD_ATOL = 1e-4;

function expectLoss(actual: ArrayLike<number>, expected: number[]): number {
  let worst = 0;
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    if (!Number.isFinite(e)) {
      expect(a).toBe(e);
      return;
    }
    const rel = Math.abs(a - e) / Math.max(Math.abs(e), 1e-6);
    worst = Math.max(worst, rel);
    expect(rel).toBeLessThanOrEqual(LOSS_RTOL);
  });
  return worst;
}

function expectGrad(actual: ArrayLike<number>, expected: number[]): number {
  let worst = 0;
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    if (Number.isNaN(e)) {
      expect(a).toBeNaN();
      return;
    }
    const err = Math.abs(a - e);
    worst = Math.max(worst, err);
    expect(err).toBeLessThanOrEqual(GRAD_ATOL);
  });
  return worst;
}

/** [T, B, C] → [B, T, C] of a flat buffer. */
function toBatchFirst(data: number[], T: number, B: number, C: number): number[] {
  const out = new Array<number>(data.length);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let c = 0; c < C; c++) out[(b * T + t) * C + c] = data[(t * B + b) * C + c]!;
  return out;
}

describe('ctcLoss matches PyTorch 1.13 (torch.nn.functional.ctc_loss)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });
  const errors = { loss: 0, gradLogProbs: 0, gradLogits: 0 };

  for (const c of fixture.cases) {
    it(`${c.name}: loss within 1e-5 relative, gradients within 1e-4, for every target form and layout`, () => {
      const before = tf.memory().numTensors;
      const options = { blank: c.blank, reduction: c.reduction, zeroInfinity: c.zeroInfinity };
      const upstream = tf.tensor(nums(c.upstream), c.reduction === 'none' ? [c.B] : []);
      const lp = tf.tensor3d(nums(c.logProbs), [c.T, c.B, c.C]);
      const logits = tf.tensor3d(nums(c.logits), [c.T, c.B, c.C]);
      const padded = tf.tensor2d(c.targets, [c.B, c.S], 'int32');
      const inLengths = tf.tensor1d(c.inputLengths, 'int32');
      const targetForms = [
        { targets: c.targetLists as readonly (readonly number[])[], lengths: c.targetLengths as readonly number[] | tf.Tensor },
        { targets: padded as tf.Tensor, lengths: tf.tensor1d(c.targetLengths, 'int32') as tf.Tensor },
      ];
      for (const form of targetForms) {
        const { value, grads } = tf.valueAndGrads((x: tf.Tensor) => tf.mul(ctcLoss(x, form.targets, inLengths, form.lengths, options), upstream))([lp]);
        const loss = ctcLoss(lp, form.targets, c.inputLengths, form.lengths, options);
        errors.loss = Math.max(errors.loss, expectLoss(loss.dataSync(), nums(c.loss)));
        errors.gradLogProbs = Math.max(errors.gradLogProbs, expectGrad(grads[0]!.dataSync(), nums(c.gradLogProbs)));
        tf.dispose([value, loss, ...grads]);
      }
      // Through log-softmax, from the logits (the path a model trains on), batch-first.
      const bf = tf.tensor3d(toBatchFirst(nums(c.logits), c.T, c.B, c.C), [c.B, c.T, c.C]);
      const { value, grads } = tf.valueAndGrads((x: tf.Tensor) => tf.mul(ctcLoss(tf.logSoftmax(x), c.targetLists, c.inputLengths, undefined, { ...options, batchFirst: true }), upstream))([bf]);
      const expected = toBatchFirst(nums(c.gradLogits), c.T, c.B, c.C);
      errors.gradLogits = Math.max(errors.gradLogits, expectGrad(grads[0]!.dataSync(), expected));
      tf.dispose([value, upstream, lp, logits, padded, inLengths, bf, ...grads, targetForms[1]!.lengths as tf.Tensor]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('concatenated 1-D targets (PyTorch’s other form) give the same loss as padded ones', () => {
    const c = fixture.cases[0]!;
    const lp = tf.tensor3d(nums(c.logProbs), [c.T, c.B, c.C]);
    const concat = tf.tensor1d(c.targetLists.flat(), 'int32');
    const a = ctcLoss(lp, concat, c.inputLengths, c.targetLengths, { reduction: 'none' });
    const b = ctcLoss(lp, c.targetLists, c.inputLengths, c.targetLengths, { reduction: 'none' });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([lp, concat, a, b]);
  });

  it('reports the worst parity errors it measured', () => {
    // Printed for the README; the per-case tests above enforce the bounds.
    console.log(`ctc parity vs PyTorch ${fixture.torch}: loss rel ${errors.loss.toExponential(2)}, grad(logProbs) ${errors.gradLogProbs.toExponential(2)}, grad(logits) ${errors.gradLogits.toExponential(2)}`);
    expect(errors.loss).toBeLessThanOrEqual(LOSS_RTOL);
  });
});
