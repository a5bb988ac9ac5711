import { Rng, initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { flipGruUpdateGate } from './gru-convention.js';
import { GRU } from './layer/gru.js';
import { maxAbsDiffTensors } from './test-utils/fixtures.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** One step of the chung2014-form GRU: h_t = (1−z)⊙h_{t−1} + z⊙h̃, h̃ = tanh(W_n x + r⊙(U_n h + b)) (reset after). */
function seedStep(w: Record<string, tf.Tensor>, x: tf.Tensor2D, h: tf.Tensor2D, H: number): tf.Tensor2D {
  return tf.tidy(() => {
    const xp = tf.add(tf.matMul(x, w['weight_ih_l0']!, false, true), w['bias_ih_l0']!);
    const hp = tf.add(tf.matMul(h, w['weight_hh_l0']!, false, true), w['bias_hh_l0']!);
    const [xr, xz, xn] = tf.split(xp, [H, H, H], 1);
    const [hr, hz, hn] = tf.split(hp, [H, H, H], 1);
    const r = tf.sigmoid(tf.add(xr!, hr!));
    const z = tf.sigmoid(tf.add(xz!, hz!));
    const cand = tf.tanh(tf.add(xn!, tf.mul(r, hn!)));
    return tf.add(tf.mul(tf.sub(1, z), h), tf.mul(z, cand)) as tf.Tensor2D;
  });
}

describe('flipGruUpdateGate', () => {
  it('maps the chung2014 update-gate convention onto PyTorch’s: same hidden state within 1e-6', () => {
    const H = 4;
    const gru = new GRU({ inputSize: 3, hiddenSize: H, seed: 5 });
    const rng = new Rng(2);
    const x = tf.tensor3d(rng.normalArray(2 * 1 * 3), [2, 1, 3]);
    const h0 = tf.tensor3d(rng.normalArray(2 * H), [1, 2, H]);
    const ours = gru.forward(x, { initialState: { hidden: h0 } });
    const sd = gru.torchStateDict();
    const seedWeights = flipGruUpdateGate(sd, H);
    const x2 = tf.reshape(x, [2, 3]) as tf.Tensor2D;
    const h2 = tf.reshape(h0, [2, H]) as tf.Tensor2D;
    const seed = seedStep(seedWeights, x2, h2, H);
    const ourH = tf.reshape(ours.hidden, [2, H]);
    expect(maxAbsDiffTensors(seed, ourH)).toBeLessThan(1e-6);
    const back = flipGruUpdateGate(seedWeights, H);
    for (const k of Object.keys(sd)) expect(maxAbsDiffTensors(back[k]!, sd[k]!)).toBe(0);
    tf.dispose([x, h0, ours.output, ours.hidden, x2, h2, seed, ourH, ...Object.values(sd), ...Object.values(seedWeights), ...Object.values(back)]);
    gru.dispose();
  });

  it('leaves non-GRU keys of a model untouched and rejects a weight of the wrong height', () => {
    const head = tf.ones([2, 3]);
    const out = flipGruUpdateGate({ 'head.weight': head }, 4);
    expect(maxAbsDiffTensors(out['head.weight']!, head)).toBe(0);
    const bad = tf.ones([8, 3]);
    expect(() => flipGruUpdateGate({ weight_ih_l0: bad }, 4)).toThrow(/weight_ih_l0/);
    tf.dispose([head, bad, ...Object.values(out)]);
  });
});
