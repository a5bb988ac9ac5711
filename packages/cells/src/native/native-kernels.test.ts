import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
// The test's loss (mul, sum) needs tfjs's gradients; the fused op itself does not.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { initBackend } from '@gated/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fusedGruSequence, fusedLstmSequence, fusedRnnSequence } from '../fused/index.js';
import { LSTM } from '../layer/lstm.js';
import { KINDS, disposeProblem, infer, problem, run } from './__fixtures__/native-problems.js';
import { nativeAvailable, nativeInfo, nativeKernel, setNativeThreads } from './index.js';

// The native kernels against the wasm kernels (which the PyTorch fixtures pin down) on batches large enough to be
// split across threads (13 rows: slices of 6 + 7, or 4 + 4 + 5), with every option at once. Stated tolerances:
// values 1e-5, gradients 1e-4 (+1e-4 relative). And determinism: for a fixed thread count, bit-identical results.
const FORWARD_TOL = 1e-5;
const GRAD_TOL = 1e-4;

function expectClose(name: string, actual: Float32Array, expected: Float32Array, tol: number): void {
  expect(actual.length, `${name} length`).toBe(expected.length);
  let worst = 0, at = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) - tol * Math.abs(expected[i]!);
    if (err > worst) [worst, at] = [err, i];
  }
  expect(worst, `${name}[${at}]: ${actual[at]} vs ${expected[at]}`).toBeLessThanOrEqual(tol);
}

describe.skipIf(!nativeAvailable())('the native kernels', () => {
  let threads = 1;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    threads = nativeInfo().threads;
  });
  afterAll(() => {
    setNativeThreads(threads);
  });

  it.each(KINDS)('%s on 1, 2 and 3 threads matches the wasm kernels (values 1e-5, gradients 1e-4)', (kind) => {
    const before = tf.memory().numTensors;
    const p = problem(kind, 7);
    const wasm = run(kind, p, 'wasm');
    for (const n of [1, 2, 3]) {
      setNativeThreads(n);
      const native = run(kind, p, 'native');
      native.forEach((v, i) => {
        expectClose(`${n} threads, ${i === 0 ? 'loss' : `gradient ${i - 1}`}`, v, wasm[i]!, i === 0 ? FORWARD_TOL : GRAD_TOL);
      });
    }
    disposeProblem(p);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(KINDS)('%s inference (nothing kept) on 1, 2 and 3 threads matches the wasm kernels (1e-5)', (kind) => {
    const before = tf.memory().numTensors;
    const p = problem(kind, 9);
    const wasm = infer(kind, p, 'wasm');
    for (const n of [1, 2, 3]) {
      setNativeThreads(n);
      infer(kind, p, 'native').forEach((v, i) => {
        expectClose(`${n} threads, ${i === 0 ? 'output' : 'h'}`, v, wasm[i] ?? new Float32Array(0), FORWARD_TOL);
      });
    }
    disposeProblem(p);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(KINDS)('%s gives bit-identical results run after run for a fixed thread count', (kind) => {
    const p = problem(kind, 11);
    for (const n of [2, 3]) {
      setNativeThreads(n);
      const first = run(kind, p, 'native');
      for (let r = 0; r < 3; r++) {
        run(kind, p, 'native').forEach((v, i) => {
          expect(Buffer.from(v.buffer, v.byteOffset, v.byteLength).equals(Buffer.from(first[i]!.buffer, first[i]!.byteOffset, first[i]!.byteLength))).toBe(true);
        });
      }
    }
    disposeProblem(p);
  });

  // Batch 1 runs matrix-vector steps that sweep W_hh's panels forward and backward on alternate calls (to start on
  // what the last step left in cache). Hidden 150 gives 19 panels of 32 columns (groups of 4 plus a tail of 3); 9
  // steps (odd) make a second call start in the other direction than the first. Values 1e-5 of the wasm kernels,
  // and the two calls bit-identical.
  it.each(['lstm', 'gru', 'rnn'] as const)('%s at batch 1 matches the wasm kernels and repeats bit for bit', (kind) => {
    const H = 150, G = (kind === 'lstm' ? 4 : kind === 'gru' ? 3 : 1) * H;
    const u = (shape: number[], seed: number) => tf.randomUniform(shape, -0.2, 0.2, 'float32', seed);
    const w = { weightIh: u([G, 11], 1) as tf.Tensor2D, weightHh: u([G, H], 2) as tf.Tensor2D, biasIh: u([G], 3) as tf.Tensor1D, biasHh: u([G], 4) as tf.Tensor1D };
    const x = u([1, 9, 11], 5) as tf.Tensor3D;
    const infer = (kernels: 'native' | 'wasm'): Float32Array =>
      tf.tidy(() => {
        const seq = kind === 'lstm' ? fusedLstmSequence : kind === 'gru' ? fusedGruSequence : fusedRnnSequence;
        return seq(x, w, { kernels }).output.dataSync() as Float32Array;
      });
    setNativeThreads(1);
    const wasm = infer('wasm'), first = infer('native'), second = infer('native');
    expectClose('output', first, wasm, FORWARD_TOL);
    expect(Buffer.from(second.buffer).equals(Buffer.from(first.buffer))).toBe(true);
    tf.dispose([x, ...Object.values(w)]);
  });

  // The pool's threads claim units of work (slices of a batch, tiles of a product) from a shared counter, so which
  // thread runs a unit varies from call to call, and with more threads than cores some run several or none; what a
  // unit computes must not depend on that. A 256³ product (above the 32 MFLOP split threshold), 200 calls per count.
  it('a product split across more threads than cores is bit-identical to one thread, call after call', () => {
    const k = nativeKernel();
    const n = 256;
    k.arena_reset();
    const [pa, pb, pc] = [k.arena_alloc(n * n * 4), k.arena_alloc(n * n * 4), k.arena_alloc(n * n * 4)];
    const a = new Float32Array(k.memory.buffer, pa, n * n), b = new Float32Array(k.memory.buffer, pb, n * n);
    for (let i = 0; i < n * n; i++) [a[i], b[i]] = [Math.sin(i), Math.cos(0.7 * i)];
    const product = (): Buffer => {
      k.sgemm(n, n, n, pa, pb, pc);
      return Buffer.from(new Float32Array(k.memory.buffer, pc, n * n).slice().buffer);
    };
    setNativeThreads(1);
    const one = product();
    let differing = 0;
    for (const threads of [2, 3, 8]) {
      setNativeThreads(threads);
      for (let r = 0; r < 200; r++) if (!product().equals(one)) differing++;
    }
    expect(differing).toBe(0);
  });

  // Each pool worker's arena is a 4 GiB address range; a restarted worker takes over its index's range, so changing
  // the thread count back and forth (as the compare app does between phases) reserves nothing new.
  it.skipIf(!existsSync('/proc/self/status'))('changing the thread count repeatedly keeps the address space flat', () => {
    const vmKiB = (): number => Number(/VmSize:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN);
    const p = problem('gru', 5);
    const cycle = (): void => {
      for (const n of [2, 3, 1, 3, 2]) {
        setNativeThreads(n);
        run('gru', p, 'native');
      }
    };
    cycle();
    const before = vmKiB();
    for (let i = 0; i < 4; i++) cycle();
    disposeProblem(p);
    // 20 restarts of up to 2 workers: 40 × 4 GiB before; now only the heaps' ordinary growth (well under 1 GiB)
    expect(vmKiB() - before).toBeLessThan(2 ** 20);
  });

  it("is what 'auto' runs in Node, and 'native' and 'fused' can each be forced", () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 5, seed: 1 });
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
    const outputs = (['auto', 'native', 'fused'] as const).map((implementation) => {
      const layer = new LSTM({ inputSize: 3, hiddenSize: 5, seed: 1, implementation });
      const out = layer.forward(x).output;
      const values = (out.dataSync() as Float32Array).slice();
      expect(layer.lastImplementation).toBe(implementation === 'auto' ? 'native' : implementation);
      tf.dispose(out);
      layer.dispose();
      return values;
    });
    expectClose('native vs fused', outputs[1]!, outputs[2]!, FORWARD_TOL);
    expect(Array.from(outputs[0]!)).toEqual(Array.from(outputs[1]!));
    lstm.dispose();
    x.dispose();
  });
});
