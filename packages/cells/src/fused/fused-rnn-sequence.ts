import type * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertObject, checkOptions } from '@gated/tensor';
import { item } from '../list-item.js';
import { type FusedGruWeights, checkGruWeights } from './fused-gru-sequence.js';
import type { FusedSequenceOptions } from './fused-lstm-sequence.js';
import { type FusedSequenceResult, type SequenceKernel, runFusedSequence, takeSaved } from './fused-sequence-op.js';
import { resolveKernels } from './kernel-choice.js';
import { readLengths } from '../sequence-lengths.js';
import { FUSED_SPEC, checkFloat, readMask, sequenceSizes } from './fused-inputs.js';

/** One direction of one Elman RNN layer: `weight_ih_l{k}` [H, in], `weight_hh_l{k}` [H, H], biases [H]. */
export type FusedRnnWeights = FusedGruWeights;

/** Options of {@link fusedRnnSequence}. */
export interface FusedRnnOptions extends FusedSequenceOptions {
  /** h' = tanh(…) (default) or relu(…), as PyTorch's `nonlinearity`. */
  readonly nonlinearity?: 'tanh' | 'relu';
}

/**
 * One direction of one Elman RNN layer over a whole sequence in fused wasm kernels; matches PyTorch's `nn.RNN`.
 *
 * @example
 * const { output, h } = fusedRnnSequence(x, { weightIh, weightHh, biasIh, biasHh }, { nonlinearity: 'relu' });
 */
export function fusedRnnSequence(x: tf.Tensor3D, weights: FusedRnnWeights, options: FusedRnnOptions = {}): FusedSequenceResult {
  checkOptions('fusedRnnSequence', options, { ...FUSED_SPEC, nonlinearity: ['tanh', 'relu'] });
  assertObject('fusedRnnSequence weights', weights, 'a record of weight tensors { weightIh, weightHh, … }');
  const batchFirst = options.batchFirst ?? true;
  const module = resolveKernels(options.kernels).exports;
  const { B, T, I } = sequenceSizes(x, batchFirst);
  const H = checkGruWeights(weights, 1, I);
  const nonlinearity = options.nonlinearity ?? 'tanh';
  if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') throw new ArgumentError('nonlinearity', "'tanh' or 'relu'", String(nonlinearity));
  const relu = nonlinearity === 'relu' ? 1 : 0;
  if (options.h0) checkFloat('h0', options.h0, [B, H]);
  const lengths = readLengths(options.lengths, B, T) ?? undefined;
  const mask = readMask(options.recurrentMask, B, H);
  const reverse = options.reverse ? 1 : 0;
  const outLen = T * B * H;
  const hasBias = weights.biasIh !== undefined;
  const inputs: tf.Tensor[] = [x, weights.weightIh, weights.weightHh];
  if (weights.biasIh && weights.biasHh) inputs.push(weights.biasIh, weights.biasHh);
  const h0At = options.h0 ? inputs.push(options.h0) - 1 : -1;

  const kernel: SequenceKernel = {
    forward(call, data, keep) {
      // batch 1 / a single frame: W_hh / W_ih packed for matrix-vector products once, kept across calls
      const pwhhRows = B === 1 ? call.packedRows(item(data, 2, 'weightHh'), H, H) : 0;
      const pwihRows = T * B === 1 ? call.packedRows(item(data, 1, 'weightIh'), I, H) : 0;
      const px = call.timeMajorIn(item(data, 0, 'x'), T, B, I, batchFirst);
      const pwih = pwihRows ? 0 : call.f32(data[1]), pwhh = pwhhRows ? 0 : call.f32(data[2]);
      const pbih = hasBias ? call.f32(data[3]) : 0, pbhh = hasBias ? call.f32(data[4]) : 0;
      const plen = call.i32(lengths), prd = call.f32(mask), ph0 = h0At >= 0 ? call.f32(data[h0At]) : 0;
      const pout = call.alloc(outLen), pflat = call.alloc(outLen + B * H);
      call.k.rnn_forward(T, B, I, H, reverse, relu, px, pwih, pwhh, pwhhRows, pwihRows, pbih, pbhh, plen, prd, ph0, pout, pflat + outLen * 4);
      call.layoutOut(pout, pflat, T, B, H, batchFirst);
      // the backward needs only the output, which the op keeps anyway
      return { flat: keep ? call.readInto(pflat, outLen + B * H, takeSaved(outLen + B * H)) : call.read(pflat, outLen + B * H), saved: new Float32Array(0) };
    },
    backward(call, data, value, _saved, dy) {
      const px = call.timeMajorIn(item(data, 0, 'x'), T, B, I, batchFirst);
      const [pwih, pwhh] = [call.f32(data[1]), call.f32(data[2])];
      const plen = call.i32(lengths), prd = call.f32(mask), ph0 = h0At >= 0 ? call.f32(data[h0At]) : 0;
      const pout = call.timeMajorIn(value.subarray(0, outLen), T, B, H, batchFirst);
      const pdy = call.f32(dy), pdout = call.timeMajorIn(dy.subarray(0, outLen), T, B, H, batchFirst), pdhn = pdy + outLen * 4;
      const pdx = call.alloc(T * B * I), pdxOut = call.alloc(T * B * I), pdwih = call.alloc(H * I), pdwhh = call.alloc(H * H);
      const pdb = call.alloc(H), pdh0 = call.alloc(B * H);
      call.k.rnn_backward(T, B, I, H, reverse, relu, px, pwih, pwhh, plen, prd, ph0, pout, pdout, pdhn, pdx, pdwih, pdwhh, pdb, pdh0);
      call.layoutOut(pdx, pdxOut, T, B, I, batchFirst);
      const result = [call.read(pdxOut, T * B * I), call.read(pdwih, H * I), call.read(pdwhh, H * H)];
      if (hasBias) {
        const db = call.read(pdb, H);
        result.push(db, db.slice());
      }
      if (h0At >= 0) result.push(call.read(pdh0, B * H));
      return result;
    },
  };
  return runFusedSequence(inputs, { T, B, I, H, out: H, cell: 0 }, batchFirst, kernel, module);
}
