import * as tf from '@tensorflow/tfjs-core';
import { Rng, initBackend } from '@gated/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { adamStepOnWasmHeap } from './adam-on-wasm-heap.js';
import { nativeAdamAvailable, nativeAdamStep } from './adam-step.js';

const SHAPES = [[48, 16], [48], [7]] as const;
const OPTIONS = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01, gradScale: 0.5 };

/** Three Adam steps of nativeAdamStep on `backend` from the same seeded start; the final p, m and v. */
async function run(backend: 'wasm' | 'cpu', shareMoment = false): Promise<Float32Array[]> {
  await initBackend({ backend });
  const rng = new Rng(5);
  const entries = SHAPES.map((shape, i) =>
    tf.tidy(() => {
      const n = shape.reduce((a: number, b: number) => a * b, 1);
      const param = tf.variable(tf.tensor(rng.uniformArray(n, -1, 1), [...shape]), true, `p${i}`);
      return { param, expAvg: tf.variable(tf.zeros([...shape]), false, `m${i}`), expAvgSq: tf.variable(tf.zeros([...shape]), false, `v${i}`) };
    }),
  );
  const shared = shareMoment ? tf.clone(entries[0]?.expAvg as tf.Tensor) : undefined;
  for (let step = 1; step <= 3; step++) {
    const grads = entries.map((e) => tf.tensor(rng.uniformArray(e.param.size, -2, 2), e.param.shape));
    nativeAdamStep(entries.map((e, i) => ({ ...e, grad: grads[i] as tf.Tensor })), { ...OPTIONS, step });
    tf.dispose(grads);
  }
  const out = entries.flatMap((e) => [e.param, e.expAvg, e.expAvgSq].map((t) => Float32Array.from(t.dataSync())));
  tf.dispose([...entries.flatMap((e) => [e.param, e.expAvg, e.expAvgSq]), ...(shared ? [shared] : [])]);
  return out;
}

describe.runIf(nativeAdamAvailable())('nativeAdamStep', () => {
  afterAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  // Both paths run the same native loop over the same float32 operations; only where the arrays live differs (views
  // of the wasm heap, or copies in the addon's memory on another backend), so the bits must match exactly.
  it('steps over views of the wasm heap give the same bits as through copies on the cpu backend, without leaking tensors', async () => {
    await initBackend({ backend: 'wasm' });
    const before = tf.memory().numTensors;
    const heap = await run('wasm');
    expect(tf.memory().numTensors).toBe(before);
    const copies = await run('cpu');
    expect(heap.length).toBe(copies.length);
    for (const [i, a] of heap.entries()) expect(Buffer.from(a.buffer).equals(Buffer.from((copies[i] as Float32Array).buffer)), `array ${i}`).toBe(true);
  });

  it('falls back to copies when a moment shares its data with another tensor (an in-place write would change both), same bits', async () => {
    const shared = await run('wasm', true);
    const copies = await run('cpu');
    for (const [i, a] of shared.entries()) expect(Buffer.from(a.buffer).equals(Buffer.from((copies[i] as Float32Array).buffer)), `array ${i}`).toBe(true);
  });

  it('adamStepOnWasmHeap hands out views of the heap and assigns what the update wrote', async () => {
    await initBackend({ backend: 'wasm' });
    // tidy: a variable made from a tensor shares its data until that tensor is disposed (refCount 2: no in-place write)
    const [param, expAvg, expAvgSq] = tf.tidy(() => [tf.variable(tf.tensor([1, 2, 3])), tf.variable(tf.zeros([3])), tf.variable(tf.zeros([3]))]);
    const grad = tf.tensor([4, 5, 6]);
    const took = adamStepOnWasmHeap([{ param, grad, expAvg, expAvgSq }], ([a]) => {
      if (a === undefined) return false;
      for (let i = 0; i < 3; i++) {
        a.out[i] = (a.p[i] ?? 0) + (a.g[i] ?? 0);
        a.m[i] = 7;
      }
      return true;
    });
    expect(took).toBe(true);
    expect(Array.from(param.dataSync())).toEqual([5, 7, 9]);
    expect(Array.from(expAvg.dataSync())).toEqual([7, 7, 7]);
    tf.dispose([param, grad, expAvg, expAvgSq]);
  });

  it('adamStepOnWasmHeap changes nothing when its update cannot run', async () => {
    await initBackend({ backend: 'wasm' });
    const param = tf.variable(tf.tensor([1, 2, 3]));
    const [grad, expAvg, expAvgSq] = [tf.tensor([1, 1, 1]), tf.variable(tf.zeros([3])), tf.variable(tf.zeros([3]))];
    const before = tf.memory().numTensors;
    expect(adamStepOnWasmHeap([{ param, grad, expAvg, expAvgSq }], () => false)).toBe(false);
    expect(Array.from(param.dataSync())).toEqual([1, 2, 3]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([param, grad, expAvg, expAvgSq]);
  });
});
