import * as tf from '@tensorflow/tfjs-core';
// The loss (mul, sum, add, concat, stack) needs tfjs's gradients; the fused op itself does not.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { initBackend } from '@gated/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TorchFixture, loadTorchFixtures, toTensor } from '../test-utils/fixtures.js';
import { type NativeIsa, nativeAvailable, nativeInfo, nativeUnavailableReason, setNativeIsa } from '../native/index.js';
import { type FusedKernels, type FusedSequenceResult, fusedGruSequence, fusedLstmSequence, fusedRnnSequence } from './index.js';

// PyTorch parity fixtures of @gated/cells (made by tools/fixtures/cells/make_torch_fixtures.py), run through the
// fused kernels one direction and layer at a time — the wasm module and the native addon (each instruction set this
// CPU runs). Stated tolerances: values 1e-5, gradients 1e-4.
const FORWARD_TOL = 1e-5;
const GRAD_TOL = 1e-4;

type Fixture = TorchFixture;
const fixtures = loadTorchFixtures().filter((f) => f.config !== undefined && f.grads !== undefined);
const tensorOf = toTensor;

/** The whole stack (layers × directions) from the fused one-direction ops; returns output, h_n, c_n. */
function runStack(fx: Fixture, x: tf.Tensor3D, params: Record<string, tf.Tensor>, kernels: FusedKernels) {
  const { numLayers, bidirectional, batchFirst } = fx.config;
  const D = bidirectional ? 2 : 1;
  const hs: tf.Tensor[] = [];
  const cs: tf.Tensor[] = [];
  let input = x;
  for (let l = 0; l < numLayers; l++) {
    const outs: tf.Tensor3D[] = [];
    for (let d = 0; d < D; d++) {
      const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
      const p = (n: string) => params[`${n}${sfx}`];
      const k = l * D + d;
      const common = {
        batchFirst,
        kernels,
        reverse: d === 1,
        ...(fx.lengths ? { lengths: fx.lengths } : {}),
        ...(fx.initialState ? { h0: tf.gather(tensorOf(fx.initialState.hidden), k) as tf.Tensor2D } : {}),
      };
      const w = {
        weightIh: p('weight_ih') as tf.Tensor2D,
        weightHh: p('weight_hh') as tf.Tensor2D,
        ...(p('bias_ih') ? { biasIh: p('bias_ih') as tf.Tensor1D, biasHh: p('bias_hh') as tf.Tensor1D } : {}),
      };
      let res: FusedSequenceResult;
      if (fx.kind === 'lstm') {
        res = fusedLstmSequence(input, {
          ...w,
          ...(p('weight_hr') ? { weightHr: p('weight_hr') as tf.Tensor2D } : {}),
          ...(p('weight_ci') ? { weightCi: p('weight_ci') as tf.Tensor1D, weightCf: p('weight_cf') as tf.Tensor1D, weightCo: p('weight_co') as tf.Tensor1D } : {}),
        }, { ...common, ...(fx.initialState?.cell ? { c0: tf.gather(tensorOf(fx.initialState.cell), k) as tf.Tensor2D } : {}) });
        cs.push(res.c!);
      } else if (fx.kind === 'gru') {
        res = fusedGruSequence(input, w, { ...common, resetAfter: fx.config.resetAfter ?? true });
      } else {
        res = fusedRnnSequence(input, w, { ...common, nonlinearity: fx.config.nonlinearity ?? 'tanh' });
      }
      outs.push(res.output);
      hs.push(res.h);
    }
    input = (D === 1 ? outs[0]! : tf.concat(outs, 2)) as tf.Tensor3D;
  }
  return { output: input, hidden: tf.stack(hs), cell: cs.length ? tf.stack(cs) : null };
}

function expectClose(name: string, actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  expect(actual.length, `${name} length`).toBe(expected.length);
  let worst = 0, at = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) - tol * Math.abs(expected[i]!);
    if (err > worst) [worst, at] = [err, i];
  }
  expect(worst, `${name}[${at}]: ${actual[at]} vs ${expected[at]}`).toBeLessThanOrEqual(tol);
}

const bestIsa: NativeIsa | null = nativeAvailable() ? nativeInfo().isa : null;
/** [tfjs backend, kernels, native instruction set] */
const RUNS: readonly (readonly [string, FusedKernels, NativeIsa | null])[] = [
  ['wasm', 'wasm', null],
  ['cpu', 'wasm', null],
  ['wasm', 'native', bestIsa],
  ['cpu', 'native', bestIsa],
  ...(['avx2', 'base'] as const).filter((isa) => isa !== bestIsa).map((isa) => ['wasm', 'native', isa] as const),
];

it.skipIf(nativeAvailable())(`native kernels load on linux-x64 (skipped here: ${nativeUnavailableReason() ?? ''})`, () => {
  expect(nativeUnavailableReason()).toBeUndefined();
});

describe.each(RUNS)('PyTorch fixtures on the %s backend through the %s kernels (%s)', (backend, kernels, isa) => {
  beforeAll(async () => {
    await initBackend({ backend: backend as 'wasm' | 'cpu' });
    if (isa) setNativeIsa(isa);
  });
  afterAll(() => {
    if (bestIsa) setNativeIsa(bestIsa);
  });
  const skip = kernels === 'native' && !nativeAvailable();

  it.skipIf(skip)('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  it.skipIf(skip).each(fixtures.map((f) => [f.name, f] as const))('%s matches PyTorch (values 1e-5, gradients 1e-4)', (_name, fx) => {
    const before = tf.memory().numTensors;
    const names = Object.keys(fx.stateDict);
    const x = tensorOf(fx.x) as tf.Tensor3D;
    const params = Object.fromEntries(names.map((n) => [n, tensorOf(fx.stateDict[n]!)]));
    const lw = { output: tensorOf(fx.lossWeights.output), hidden: tensorOf(fx.lossWeights.hidden), cell: fx.lossWeights.cell ? tensorOf(fx.lossWeights.cell) : null };
    const loss = (xs: tf.Tensor3D, ps: Record<string, tf.Tensor>) => {
      const r = runStack(fx, xs, ps, kernels);
      let l = tf.add(tf.sum(tf.mul(r.output, lw.output)), tf.sum(tf.mul(r.hidden, lw.hidden)));
      if (r.cell && lw.cell) l = tf.add(l, tf.sum(tf.mul(r.cell, lw.cell)));
      return { r, l: l as tf.Scalar };
    };

    tf.tidy(() => {
      const { r } = loss(x, params);
      expectClose('output', r.output.dataSync(), fx.expected.output.data, FORWARD_TOL);
      expectClose('hidden', r.hidden.dataSync(), fx.expected.hidden.data, FORWARD_TOL);
      if (fx.expected.cell) expectClose('cell', r.cell!.dataSync(), fx.expected.cell.data, FORWARD_TOL);
    });

    const grads = tf.grads((...args: tf.Tensor[]) =>
      loss(args[0] as tf.Tensor3D, Object.fromEntries(names.map((n, i) => [n, args[i + 1]!]))).l,
    )([x, ...names.map((n) => params[n]!)]);
    expectClose('d input', grads[0]!.dataSync(), fx.grads['input']!.data, GRAD_TOL);
    names.forEach((n, i) => {
      expectClose(`d ${n}`, grads[i + 1]!.dataSync(), fx.grads[n]!.data, GRAD_TOL);
    });
    tf.dispose([...grads, x, ...Object.values(params), lw.output, lw.hidden, lw.cell ?? []]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
