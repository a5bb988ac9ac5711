import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeAttentionAvailable, nativeAttentionCombine } from './attention-combine.js';

// The native op against the same formulas as tfjs ops (scores, softmax with padded positions at −1e9, context,
// tanh(W_c [c; q])), values within 1e-5 and every gradient within 1e-4. @gated/seq2seq's PyTorch fixtures check the
// op again through the decoder (model-loss-*-nofeed). Ragged lengths (1 .. S) exercise the masking.
const [T, B, S, D, E, H] = [5, 4, 7, 6, 9, 8];
const LENGTHS = [7, 1, 4, 6];

function reference(q: tf.Tensor3D, p: tf.Tensor3D, k: tf.Tensor3D, wc: tf.Tensor2D, lengths: readonly number[]): tf.Tensor2D {
  const E = k.shape[2];
  const qb = tf.transpose(q, [1, 0, 2]) as tf.Tensor3D; // [B, T, D]
  const scores = tf.matMul(qb, p, false, true); // [B, T, S]
  const mask = tf.tensor2d(lengths.flatMap((n) => Array.from({ length: S }, (_, s) => (s < n ? 0 : -1e9))), [B, S]);
  const alpha = tf.softmax(tf.add(scores, tf.expandDims(mask, 1)));
  const context = tf.matMul(alpha, k); // [B, T, E]
  const u = tf.concat([context, qb], 2);
  const h = tf.tanh(tf.matMul(tf.reshape(u, [B * T, E + D]), wc, false, true));
  return tf.reshape(tf.transpose(tf.reshape(h, [B, T, H]), [1, 0, 2]), [T * B, H]) as tf.Tensor2D;
}

function expectClose(name: string, actual: tf.Tensor, expected: tf.Tensor, tol: number): void {
  expect(actual.shape, name).toEqual(expected.shape);
  const a = actual.dataSync(), e = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(a[i]! - e[i]!));
  expect(worst, name).toBeLessThanOrEqual(tol);
}

describe.skipIf(!nativeAttentionAvailable())('nativeAttentionCombine', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  const u = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

  it.each([
    ['general (projected keys), ragged lengths', false, LENGTHS],
    ['dot (projected is the keys), every row full', true, undefined],
  ] as const)('%s: values within 1e-5, gradients within 1e-4 of tfjs ops', (_, dot, lengths) => {
    const before = tf.memory().numTensors;
    const q = u([T, B, D], 1) as tf.Tensor3D;
    const k = u([B, S, dot ? D : E], 2) as tf.Tensor3D;
    const p = dot ? k : (u([B, S, D], 3) as tf.Tensor3D);
    const width = (dot ? D : E) + D;
    const wc = u([H, width], 4) as tf.Tensor2D;
    const weights = u([T * B, H], 5);
    const full = lengths ?? new Array<number>(B).fill(S);
    const nativeRun = () => nativeAttentionCombine({ queries: q, projected: p, keys: k, combine: wc, ...(lengths ? { lengths } : {}) });
    const referenceRun = () => reference(q, p, k, wc, full);
    tf.tidy(() => {
      expectClose('h̃', nativeRun(), referenceRun(), 1e-5);
      const inputs = dot ? [q, k, wc] : [q, p, k, wc];
      const gn = tf.grads((...xs: tf.Tensor[]) => {
        const [qq, pp, kk, ww] = dot ? [xs[0]!, xs[1]!, xs[1]!, xs[2]!] : xs;
        return tf.sum(tf.mul(nativeAttentionCombine({ queries: qq as tf.Tensor3D, projected: pp as tf.Tensor3D, keys: kk as tf.Tensor3D, combine: ww as tf.Tensor2D, ...(lengths ? { lengths } : {}) }), weights));
      })(inputs);
      const gr = tf.grads((...xs: tf.Tensor[]) => {
        const [qq, pp, kk, ww] = dot ? [xs[0]!, xs[1]!, xs[1]!, xs[2]!] : xs;
        return tf.sum(tf.mul(reference(qq as tf.Tensor3D, pp as tf.Tensor3D, kk as tf.Tensor3D, ww as tf.Tensor2D, full), weights));
      })(inputs);
      for (const [i, g] of gn.entries()) expectClose(`gradient ${i}`, g, gr[i]!, 1e-4);
    });
    tf.dispose([q, k, wc, weights, ...(dot ? [] : [p])]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives padded source positions no weight: changing them changes nothing', () => {
    tf.tidy(() => {
      const q = u([T, B, D], 6) as tf.Tensor3D, wc = u([H, E + D], 7) as tf.Tensor2D;
      const k = u([B, S, E], 8) as tf.Tensor3D, p = u([B, S, D], 9) as tf.Tensor3D;
      // 1 at every padded source position, 0 elsewhere
      const past = tf.tensor3d(LENGTHS.flatMap((n) => Array.from({ length: S * E }, (_, i) => (Math.floor(i / E) < n ? 0 : 1))), [B, S, E]);
      const k2 = tf.add(k, tf.mul(past, 100)) as tf.Tensor3D;
      const p2 = tf.add(p, tf.mul(tf.slice(past, [0, 0, 0], [B, S, D]), -50)) as tf.Tensor3D;
      const a = nativeAttentionCombine({ queries: q, projected: p, keys: k, combine: wc, lengths: LENGTHS });
      const b = nativeAttentionCombine({ queries: q, projected: p2, keys: k2, combine: wc, lengths: LENGTHS });
      expect(Buffer.from(a.dataSync().buffer).equals(Buffer.from(b.dataSync().buffer))).toBe(true);
    });
  });

  it('names the input that is wrong', () => {
    tf.tidy(() => {
      const q = u([T, B, D], 1) as tf.Tensor3D, k = u([B, S, E], 2) as tf.Tensor3D, p = u([B, S, D], 3) as tf.Tensor3D;
      const wc = u([H, E + D], 4) as tf.Tensor2D;
      const call = (over: object) => () => nativeAttentionCombine({ queries: q, projected: p, keys: k, combine: wc, ...over });
      expect(call({ combine: u([H, E], 5) })).toThrow(/combine.*\[H, 15\]/);
      expect(call({ projected: u([B, S, D + 1], 5) })).toThrow(/projected/);
      expect(call({ keys: u([B + 1, S, E], 5) })).toThrow(/keys/);
      expect(call({ lengths: [1, 2] })).toThrow(/lengths.*4 lengths/);
      expect(call({ lengths: [1, 2, 0, 3] })).toThrow(/lengths\[2\].*1\.\.7/);
      expect(call({ lengths: [1, 2, 0, 3] })).toThrow(ArgumentError);
    });
  });
});
