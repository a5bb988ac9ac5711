import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@gated/tensor';
import { type FusedKernels, type FusedSequenceResult, fusedGruSequence, fusedLstmSequence, fusedRnnSequence } from '../../fused/index.js';

// Problems that exercise every option of the fused kernels at once, on batches large enough to be split across
// threads (13 rows), shared by the native kernels' tests.
export const T = 7, B = 13, I = 5, H = 9;

export type Kind = 'lstm' | 'lstm-proj' | 'gru' | 'gru-before' | 'rnn-relu';
export const KINDS: readonly Kind[] = ['lstm', 'lstm-proj', 'gru', 'gru-before', 'rnn-relu'];

export interface Problem {
  readonly x: tf.Tensor3D;
  readonly params: Record<string, tf.Tensor>;
  readonly lossWeights: tf.Tensor3D;
  readonly lengths: number[];
  readonly mask: Float32Array;
}

export function problem(kind: Kind, seed: number): Problem {
  const rng = new Rng(seed);
  const P = kind === 'lstm-proj' ? 4 : 0, R = P || H;
  const G = (kind.startsWith('lstm') ? 4 : kind.startsWith('gru') ? 3 : 1) * H;
  const t = (shape: number[]) => tf.tensor(rng.uniformArray(shape.reduce((a, b) => a * b, 1), -0.6, 0.6), shape);
  const params: Record<string, tf.Tensor> = { weightIh: t([G, I]), weightHh: t([G, R]), biasIh: t([G]), biasHh: t([G]), h0: t([B, R]) };
  if (kind.startsWith('lstm')) params['c0'] = t([B, H]);
  if (P) Object.assign(params, { weightHr: t([P, H]), weightCi: t([H]), weightCf: t([H]), weightCo: t([H]) });
  const lengths = Array.from({ length: B }, (_, b) => (b * 5) % (T + 1));
  const mask = Float32Array.from({ length: B * R }, () => (rng.uniform() < 0.25 ? 0 : 1 / 0.75));
  return { x: t([B, T, I]) as tf.Tensor3D, params, lossWeights: t([B, T, R]) as tf.Tensor3D, lengths, mask };
}

/** One kernel module's run of the problem's layer on x with the parameters `q` (named as in `params`). */
function sequence(kind: Kind, p: Problem, kernels: FusedKernels, x: tf.Tensor, q: Record<string, tf.Tensor>): FusedSequenceResult {
  const w = { weightIh: q['weightIh'] as tf.Tensor2D, weightHh: q['weightHh'] as tf.Tensor2D, biasIh: q['biasIh'] as tf.Tensor1D, biasHh: q['biasHh'] as tf.Tensor1D };
  const o = { kernels, lengths: p.lengths, recurrentMask: p.mask, h0: q['h0'] as tf.Tensor2D, reverse: kind === 'gru' };
  return kind.startsWith('lstm')
    ? fusedLstmSequence(x as tf.Tensor3D, {
        ...w,
        ...(q['weightHr'] ? { weightHr: q['weightHr'] as tf.Tensor2D, weightCi: q['weightCi'] as tf.Tensor1D, weightCf: q['weightCf'] as tf.Tensor1D, weightCo: q['weightCo'] as tf.Tensor1D } : {}),
      }, { ...o, c0: q['c0'] as tf.Tensor2D })
    : kind.startsWith('gru')
      ? fusedGruSequence(x as tf.Tensor3D, w, { ...o, resetAfter: kind === 'gru' })
      : fusedRnnSequence(x as tf.Tensor3D, w, { ...o, nonlinearity: 'relu' });
}

/** Output, final state and every gradient of sum(output ⊙ w) + sum(h) through one kernel module. */
export function run(kind: Kind, p: Problem, kernels: FusedKernels): Float32Array[] {
  const names = Object.keys(p.params);
  const f = (...args: tf.Tensor[]) => {
    const [x, ...ps] = args;
    const q = Object.fromEntries(names.map((n, i) => [n, ps[i]!])) as Record<string, tf.Tensor>;
    const r = sequence(kind, p, kernels, x!, q);
    return tf.add(tf.sum(tf.mul(r.output, p.lossWeights)), tf.sum(r.h)) as tf.Scalar;
  };
  return tf.tidy(() => {
    const args = [p.x, ...names.map((n) => p.params[n]!)];
    const { value, grads } = tf.valueAndGrads(f)(args);
    return [value.dataSync() as Float32Array, ...grads.map((g) => g.dataSync() as Float32Array)];
  });
}

/** Inference (no gradient recorded: the kernels keep no activations): the output sequence and the final h. */
export function infer(kind: Kind, p: Problem, kernels: FusedKernels): Float32Array[] {
  return tf.tidy(() => {
    const r = sequence(kind, p, kernels, p.x, p.params);
    return [r.output.dataSync() as Float32Array, r.h.dataSync() as Float32Array];
  });
}

/** Frees a problem's tensors. */
export function disposeProblem(p: Problem): void {
  tf.dispose([p.x, p.lossWeights, ...Object.values(p.params)]);
}
