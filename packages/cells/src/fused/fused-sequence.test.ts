import * as tf from '@tensorflow/tfjs-core';
// The test's loss (mul, sum, add) needs tfjs's gradients; the fused op itself does not.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { createRequire } from 'node:module';
import { Rng, initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RefConfig, type RefKind, type RefParams, finiteDifferences, gatesOf, refForward, refLoss, swapLeadingAxes } from './__fixtures__/f64-reference.js';
import { fusedGruSequence, fusedLstmSequence, fusedRnnSequence } from './index.js';

// Stated tolerances: forward within 1e-5 of float64; gradients within 1e-4 (+1e-4 relative) of float64 finite differences.
const FORWARD_TOL = 1e-5;
const GRAD_TOL = 1e-4;

interface Case {
  readonly name: string;
  readonly kind: RefKind;
  readonly reverse?: boolean;
  readonly lengths?: number[];
  readonly bias?: boolean;
  readonly P?: number;
  readonly peepholes?: boolean;
  readonly resetAfter?: boolean;
  readonly relu?: boolean;
  readonly initial?: boolean;
  readonly mask?: boolean;
}

const CASES: Case[] = [
  { name: 'LSTM', kind: 'lstm' },
  { name: 'LSTM reversed with lengths and initial state', kind: 'lstm', reverse: true, lengths: [5, 2, 3], initial: true },
  { name: 'LSTM without biases', kind: 'lstm', bias: false, lengths: [3, 5, 1] },
  { name: 'LSTM with peepholes and projection, reversed, lengths, initial state, recurrent mask', kind: 'lstm', P: 3, peepholes: true, reverse: true, lengths: [4, 5, 2], initial: true, mask: true },
  { name: 'LSTM with projection and recurrent mask', kind: 'lstm', P: 5, mask: true, initial: true },
  { name: 'GRU (reset after) with lengths and initial state', kind: 'gru', lengths: [5, 1, 3], initial: true },
  { name: 'GRU reset before, reversed, lengths, initial state, recurrent mask', kind: 'gru', resetAfter: false, reverse: true, lengths: [2, 5, 4], initial: true, mask: true },
  { name: 'GRU reset after with recurrent mask', kind: 'gru', mask: true, initial: true, reverse: true },
  { name: 'RNN tanh', kind: 'rnn', lengths: [5, 3, 4] },
  { name: 'RNN relu reversed with initial state and recurrent mask', kind: 'rnn', relu: true, reverse: true, initial: true, mask: true },
];

const T = 5, B = 3, I = 4, H = 6;

interface Built {
  readonly cfg: RefConfig;
  readonly names: string[];
  readonly values: Record<string, number[]>;
  readonly shapes: Record<string, number[]>;
  readonly mask?: number[];
}

function build(c: Case, seed: number): Built {
  const rng = new Rng(seed);
  const P = c.P ?? 0, R = P || H, G = gatesOf(c.kind) * H;
  const cfg: RefConfig = {
    kind: c.kind, T, B, I, H, P, reverse: c.reverse ?? false, resetAfter: c.resetAfter ?? true, relu: c.relu ?? false,
    ...(c.lengths ? { lengths: c.lengths } : {}),
  };
  const shapes: Record<string, number[]> = { x: [T, B, I], wih: [G, I], whh: [G, R] };
  if (c.bias !== false) Object.assign(shapes, { bih: [G], bhh: [G] });
  if (P) shapes['whr'] = [P, H];
  if (c.peepholes) Object.assign(shapes, { ci: [H], cf: [H], co: [H] });
  if (c.initial) {
    shapes['h0'] = [B, R];
    if (c.kind === 'lstm') shapes['c0'] = [B, H];
  }
  const values: Record<string, number[]> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    values[name] = Array.from(rng.uniformArray(shape.reduce((a, b) => a * b, 1), -0.8, 0.8));
  }
  const mask = c.mask ? Array.from({ length: B * R }, () => (rng.uniform() < 0.3 ? 0 : 1 / 0.7)) : undefined;
  return { cfg, names: Object.keys(shapes), values, shapes, ...(mask ? { mask } : {}) };
}

/** Runs the fused op on tensors made from `built` (x batch-first) and returns the loss-weighted sum. */
function fusedLoss(c: Case, built: Built, tensors: Record<string, tf.Tensor>, lossW: { wo: tf.Tensor; wh: tf.Tensor; wc?: tf.Tensor }) {
  const x = tensors['x'] as tf.Tensor3D;
  const t = (n: string) => tensors[n];
  const common = {
    batchFirst: true,
    reverse: built.cfg.reverse,
    ...(built.cfg.lengths ? { lengths: built.cfg.lengths } : {}),
    ...(t('h0') ? { h0: t('h0') as tf.Tensor2D } : {}),
    ...(built.mask ? { recurrentMask: Float32Array.from(built.mask) } : {}),
  };
  const w = {
    weightIh: t('wih') as tf.Tensor2D,
    weightHh: t('whh') as tf.Tensor2D,
    ...(t('bih') ? { biasIh: t('bih') as tf.Tensor1D, biasHh: t('bhh') as tf.Tensor1D } : {}),
  };
  const res =
    c.kind === 'lstm'
      ? fusedLstmSequence(x, {
          ...w,
          ...(t('whr') ? { weightHr: t('whr') as tf.Tensor2D } : {}),
          ...(t('ci') ? { weightCi: t('ci') as tf.Tensor1D, weightCf: t('cf') as tf.Tensor1D, weightCo: t('co') as tf.Tensor1D } : {}),
        }, { ...common, ...(t('c0') ? { c0: t('c0') as tf.Tensor2D } : {}) })
      : c.kind === 'gru'
        ? fusedGruSequence(x, w, { ...common, resetAfter: built.cfg.resetAfter })
        : fusedRnnSequence(x, w, { ...common, nonlinearity: built.cfg.relu ? 'relu' : 'tanh' });
  let loss = tf.add(tf.sum(tf.mul(res.output, lossW.wo)), tf.sum(tf.mul(res.h, lossW.wh)));
  if (res.c && lossW.wc) loss = tf.add(loss, tf.sum(tf.mul(res.c, lossW.wc)));
  return { res, loss: loss as tf.Scalar };
}

function expectClose(name: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, rel = 0): void {
  expect(actual.length, `${name} length`).toBe(expected.length);
  let worst = 0, at = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) - rel * Math.abs(expected[i]!);
    if (err > worst) [worst, at] = [err, i];
  }
  expect(worst, `${name}[${at}]: ${actual[at]} vs ${expected[at]}`).toBeLessThanOrEqual(tol);
}

// tfjs-node's backend joins the matrix when the package is installed (it is an optional peer).
const hasTfjsNode = (() => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();
const BACKENDS = hasTfjsNode ? (['wasm', 'cpu', 'tensorflow'] as const) : (['wasm', 'cpu'] as const);

describe.each(BACKENDS)('fused sequence kernels on the %s backend', (backend) => {
  beforeAll(async () => {
    await initBackend({ backend });
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s: forward matches float64 within 1e-5 and gradients match finite differences within 1e-4', (_name, c, i) => {
    const built = build(c, 100 + i);
    const R = (c.P ?? 0) || H;
    const rng = new Rng(900 + i);
    const wo = Array.from(rng.uniformArray(T * B * R, -1, 1));
    const wh = Array.from(rng.uniformArray(B * R, -1, 1));
    const wc = c.kind === 'lstm' ? Array.from(rng.uniformArray(B * H, -1, 1)) : [];
    const before = tf.memory().numTensors;

    // the op takes x batch-first; the reference is time-major
    const xBf = Array.from(swapLeadingAxes(Float32Array.from(built.values['x']!), T, B, I));
    const tensors: Record<string, tf.Tensor> = {};
    for (const n of built.names) tensors[n] = tf.tensor(n === 'x' ? xBf : built.values[n]!, n === 'x' ? [B, T, I] : built.shapes[n]!);
    const lossW = {
      wo: tf.tensor(Array.from(swapLeadingAxes(Float32Array.from(wo), T, B, R)), [B, T, R]),
      wh: tf.tensor(wh, [B, R]),
      ...(wc.length ? { wc: tf.tensor(wc, [B, H]) } : {}),
    };
    const ref = refForward(built.cfg, built.values['x']!, built.values as unknown as RefParams, built.mask);

    tf.tidy(() => {
      const { res } = fusedLoss(c, built, tensors, lossW);
      expectClose('output', swapLeadingAxes(res.output.dataSync() as Float32Array, B, T, R), ref.out, FORWARD_TOL);
      expectClose('h', res.h.dataSync(), ref.hn, FORWARD_TOL);
      if (c.kind === 'lstm') expectClose('c', res.c!.dataSync(), ref.cn, FORWARD_TOL);
    });

    const order = built.names;
    const grads = tf.grads((...args: tf.Tensor[]) => {
      const named = Object.fromEntries(order.map((n, k) => [n, args[k]!]));
      return fusedLoss(c, built, named, lossW).loss;
    })(order.map((n) => tensors[n]!));
    const refLossOf = () => refLoss(refForward(built.cfg, built.values['x']!, built.values as unknown as RefParams, built.mask), wo, wh, wc);
    order.forEach((n, k) => {
      const fd = finiteDifferences(built.values[n]!, refLossOf);
      let g = grads[k]!.dataSync() as Float32Array;
      if (n === 'x') g = swapLeadingAxes(g, B, T, I);
      expectClose(`d${n}`, g, fd, GRAD_TOL, GRAD_TOL);
    });
    tf.dispose([...grads, ...Object.values(tensors), ...Object.values(lossW)]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
