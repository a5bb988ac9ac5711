import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fixture from '../__fixtures__/linear-ce-torch.json' with { type: 'json' };
import { nativeAvailable, nativeInfo, setNativeThreads } from '../native/index.js';
import { linearCrossEntropy, type LinearCrossEntropyKernels } from './linear-cross-entropy.js';

// PyTorch 1.13's F.cross_entropy(F.linear(x, W, b), y) (ignore_index for weight-0 positions) and its gradients
// (tools/fixtures/cells/make_linear_ce_fixtures.py). Stated tolerances: loss and gradients 1e-5 absolute + 1e-5
// relative; the sums 1e-4 relative (they add up to ~100 float32 terms).
const TOL = 1e-5;

interface Case {
  name: string;
  x: number[][][];
  weight: number[][];
  bias: number[] | null;
  targets: number[][];
  weights: number[][] | null;
  loss: number;
  sums: number[];
  dx: number[][][];
  dweight: number[][];
  dbias: number[] | null;
}
const cases = (fixture as { cases: Case[] }).cases;

function expectClose(name: string, actual: ArrayLike<number>, expected: readonly number[], tol = TOL): void {
  expect(actual.length, `${name} length`).toBe(expected.length);
  let worst = 0;
  let at = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] ?? Number.NaN;
    const err = Math.abs((actual[i] ?? Number.NaN) - e) - tol * Math.abs(e);
    if (!(err <= worst)) [worst, at] = [Number.isNaN(err) ? Number.POSITIVE_INFINITY : err, i];
  }
  expect(worst, `${name}[${at}]: ${actual[at]} vs ${expected[at]}`).toBeLessThanOrEqual(tol);
}

function run(c: Case, kernels: LinearCrossEntropyKernels, upstream = 1) {
  const variable = (t: tf.Tensor) => {
    const v = tf.variable(t);
    t.dispose();
    return v;
  };
  const x = variable(tf.tensor3d(c.x));
  const w = variable(tf.tensor2d(c.weight));
  const b = c.bias === null ? null : variable(tf.tensor1d(c.bias));
  const targets = tf.tensor2d(c.targets, undefined, 'int32');
  const weights = c.weights === null ? undefined : tf.tensor2d(c.weights);
  let sums: Float32Array | undefined;
  const vars = b === null ? [x, w] : [x, w, b];
  const { value, grads } = tf.variableGrads(() => {
    const r = linearCrossEntropy(x, w, b, targets, { kernels, ...(weights === undefined ? {} : { weights }) });
    sums = r.stats.dataSync() as Float32Array;
    r.stats.dispose();
    return tf.mul(r.loss, tf.scalar(upstream));
  }, vars);
  const out = {
    loss: value.dataSync()[0] ?? Number.NaN,
    sums: sums ?? new Float32Array(),
    dx: grads[x.name]?.dataSync() ?? new Float32Array(),
    dw: grads[w.name]?.dataSync() ?? new Float32Array(),
    db: b === null ? undefined : grads[b.name]?.dataSync(),
  };
  tf.dispose([value, ...Object.values(grads), targets, ...(weights ? [weights] : []), ...vars]);
  return out;
}

const KERNELS: LinearCrossEntropyKernels[] = nativeAvailable() ? ['native', 'tfjs'] : ['tfjs'];

describe('linearCrossEntropy', () => {
  let threads = 1;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    if (nativeAvailable()) threads = nativeInfo().threads;
  });
  afterAll(() => {
    if (nativeAvailable()) setNativeThreads(threads);
  });

  for (const kernels of KERNELS) {
    it.each(cases.map((c) => [c.name, c] as const))(`${kernels}: %s matches PyTorch (loss and gradients 1e-5)`, (_, c) => {
      const before = tf.memory().numTensors;
      const r = run(c, kernels);
      expect(Math.abs(r.loss - c.loss)).toBeLessThanOrEqual(TOL * (1 + Math.abs(c.loss)));
      expectClose('sums', r.sums, c.sums, 1e-4);
      expectClose('dx', r.dx, c.dx.flat(2));
      expectClose('dweight', r.dw, c.dweight.flat());
      if (c.dbias !== null) expectClose('dbias', r.db ?? [], c.dbias);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('scales its gradients by the upstream gradient', () => {
    const c = cases[0];
    if (c === undefined) throw new Error('no fixture case');
    const r = run(c, 'auto', 2.5);
    expect(r.loss).toBeCloseTo(2.5 * c.loss, 5);
    expectClose('dx', r.dx, c.dx.flat(2).map((v) => 2.5 * v));
  });

  it.skipIf(!nativeAvailable())('native on 2 threads repeats bit for bit and matches 1 thread within 1e-6', () => {
    const c = cases[4];
    if (c === undefined) throw new Error('no fixture case');
    setNativeThreads(1);
    const one = run(c, 'native');
    setNativeThreads(2);
    const two = run(c, 'native');
    const again = run(c, 'native');
    expect(Array.from(two.dw)).toEqual(Array.from(again.dw));
    expect(Array.from(two.dx)).toEqual(Array.from(again.dx));
    expectClose('dweight 1 vs 2 threads', two.dw, Array.from(one.dw), 1e-6);
  });

  it('is one tape op whose forward makes no [N, C] logits tensor', () => {
    const c = cases[4];
    if (c === undefined) throw new Error('no fixture case');
    const x = tf.tensor3d(c.x);
    const w = tf.tensor2d(c.weight);
    const b = tf.tensor1d(c.bias ?? []);
    const y = tf.tensor2d(c.targets, undefined, 'int32');
    const before = tf.memory().numTensors;
    const r = linearCrossEntropy(x, w, b, y);
    // the loss and the stats are all it leaves behind
    expect(tf.memory().numTensors - before).toBe(2);
    tf.dispose([r.loss, r.stats, x, w, b, y]);
  });

  it('rejects a class id out of range, naming its position, and an unknown option', () => {
    const x = tf.zeros([2, 3]);
    const w = tf.zeros([4, 3]);
    const y = tf.tensor1d([1, 4], 'int32');
    expect(() => linearCrossEntropy(x, w, null, y)).toThrow(/targets\[1\].*0\.\.3.*4/s);
    expect(() => linearCrossEntropy(x, w, null, tf.tensor1d([1, 2], 'float32'))).toThrow(/int32 class ids/);
    expect(() => linearCrossEntropy(x, w, null, y, { kernel: 'native' } as never)).toThrow(/kernels/);
    tf.dispose([x, w, y]);
  });
});
