import type * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertObject, checkOptions } from '@gated/tensor';
import { item } from '../list-item.js';
import type { FusedSequenceOptions } from './fused-lstm-sequence.js';
import { type FusedSequenceResult, type SequenceKernel, runFusedSequence, takeSaved } from './fused-sequence-op.js';
import { resolveKernels } from './kernel-choice.js';
import { readLengths } from '../sequence-lengths.js';
import { FUSED_SPEC, checkFloat, readMask, sequenceSizes } from './fused-inputs.js';

/** One direction of one GRU or RNN layer in PyTorch's layout (GRU gate rows r, z, n). */
export interface FusedGruWeights {
  /** `weight_ih_l{k}`, [3H, inputSize] (RNN: [H, inputSize]) */
  readonly weightIh: tf.Tensor2D;
  /** `weight_hh_l{k}`, [3H, H] (RNN: [H, H]) */
  readonly weightHh: tf.Tensor2D;
  /** `bias_ih_l{k}`; omit both biases for `bias: false` */
  readonly biasIh?: tf.Tensor1D;
  /** `bias_hh_l{k}` */
  readonly biasHh?: tf.Tensor1D;
}

/** Options of {@link fusedGruSequence}. */
export interface FusedGruOptions extends FusedSequenceOptions {
  /** true (default, PyTorch): n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)); false: n = tanh(W_in x + b_in + W_hn(r⊙h) + b_hn). */
  readonly resetAfter?: boolean;
}

/** Checks a GRU/RNN weight set with `gates` gate blocks; returns H. */
export function checkGruWeights(weights: FusedGruWeights, gates: number, I: number): number {
  checkFloat('weightIh', weights.weightIh, [null, I]);
  const G = weights.weightIh.shape[0];
  if (G % gates !== 0 || G === 0) {
    throw new ArgumentError('weightIh', `shape [${gates === 1 ? '' : `${gates}·`}H, inputSize]`, `[${weights.weightIh.shape.join(', ')}]`);
  }
  const H = G / gates;
  checkFloat('weightHh', weights.weightHh, [G, H]);
  if ((weights.biasIh === undefined) !== (weights.biasHh === undefined)) {
    throw new ArgumentError('biasIh/biasHh', 'both or neither', weights.biasIh ? 'only biasIh' : 'only biasHh');
  }
  if (weights.biasIh) checkFloat('biasIh', weights.biasIh, [G]);
  if (weights.biasHh) checkFloat('biasHh', weights.biasHh, [G]);
  return H;
}

/**
 * One direction of one GRU layer over a whole sequence in fused wasm kernels; matches PyTorch's `nn.GRU`
 * (resetAfter true) and the reset-before form. Differentiable with respect to x, every weight and h0.
 *
 * @example
 * const { output, h } = fusedGruSequence(x, { weightIh, weightHh, biasIh, biasHh }, { reverse: true });
 */
export function fusedGruSequence(x: tf.Tensor3D, weights: FusedGruWeights, options: FusedGruOptions = {}): FusedSequenceResult {
  checkOptions('fusedGruSequence', options, { ...FUSED_SPEC, resetAfter: 'boolean' });
  assertObject('fusedGruSequence weights', weights, 'a record of weight tensors { weightIh, weightHh, … }');
  const batchFirst = options.batchFirst ?? true;
  const module = resolveKernels(options.kernels).exports;
  const { B, T, I } = sequenceSizes(x, batchFirst);
  const H = checkGruWeights(weights, 3, I);
  const G = 3 * H;
  if (options.h0) checkFloat('h0', options.h0, [B, H]);
  const lengths = readLengths(options.lengths, B, T) ?? undefined;
  const mask = readMask(options.recurrentMask, B, H);
  const resetAfter = (options.resetAfter ?? true) ? 1 : 0;
  const reverse = options.reverse ? 1 : 0;
  const outLen = T * B * H;
  const hasBias = weights.biasIh !== undefined;
  const inputs: tf.Tensor[] = [x, weights.weightIh, weights.weightHh];
  if (weights.biasIh && weights.biasHh) inputs.push(weights.biasIh, weights.biasHh);
  const h0At = options.h0 ? inputs.push(options.h0) - 1 : -1;

  const kernel: SequenceKernel = {
    forward(call, data, keep) {
      const S = call.k.gru_saved_width(H, resetAfter);
      // batch 1 (reset after) / a single frame: W_hh / W_ih packed for matrix-vector products once, kept across calls
      const pwhhRows = B === 1 && resetAfter ? call.packedRows(item(data, 2, 'weightHh'), H, G) : 0;
      const pwihRows = T * B === 1 ? call.packedRows(item(data, 1, 'weightIh'), I, G) : 0;
      const px = call.timeMajorIn(item(data, 0, 'x'), T, B, I, batchFirst);
      const pwih = pwihRows ? 0 : call.f32(data[1]), pwhh = pwhhRows ? 0 : call.f32(data[2]);
      const pbih = hasBias ? call.f32(data[3]) : 0, pbhh = hasBias ? call.f32(data[4]) : 0;
      const plen = call.i32(lengths), prd = call.f32(mask), ph0 = h0At >= 0 ? call.f32(data[h0At]) : 0;
      // with one row (or time-major) the kernel's time-major output already is the caller's layout: written in place;
      // inference keeps no activations (the kernel then projects the input a few steps at a time into scratch)
      const inPlace = B === 1 || !batchFirst;
      const pflat = call.alloc(outLen + B * H), pout = inPlace ? pflat : call.alloc(outLen), psaved = keep ? call.alloc(T * B * S) : 0;
      call.k.gru_forward(T, B, I, H, reverse, resetAfter, px, pwih, pwhh, pwhhRows, pwihRows, pbih, pbhh, plen, prd, ph0, pout, pflat + outLen * 4, psaved);
      if (!inPlace) call.layoutOut(pout, pflat, T, B, H, batchFirst);
      return { flat: keep ? call.readInto(pflat, outLen + B * H, takeSaved(outLen + B * H)) : call.read(pflat, outLen + B * H), ...(keep ? { saved: call.readInto(psaved, T * B * S, takeSaved(T * B * S)) } : {}) };
    },
    backward(call, data, value, saved, dy) {
      const px = call.timeMajorIn(item(data, 0, 'x'), T, B, I, batchFirst);
      const [pwih, pwhh] = [call.f32(data[1]), call.f32(data[2])];
      const plen = call.i32(lengths), prd = call.f32(mask), ph0 = h0At >= 0 ? call.f32(data[h0At]) : 0;
      const pout = call.timeMajorIn(value.subarray(0, outLen), T, B, H, batchFirst), psaved = call.f32(saved);
      const pdy = call.f32(dy), pdout = call.timeMajorIn(dy.subarray(0, outLen), T, B, H, batchFirst), pdhn = pdy + outLen * 4;
      const pdx = call.alloc(T * B * I), pdxOut = call.alloc(T * B * I), pdwih = call.alloc(G * I), pdwhh = call.alloc(G * H);
      const pdbih = call.alloc(G), pdbhh = call.alloc(G), pdh0 = call.alloc(B * H);
      call.k.gru_backward(T, B, I, H, reverse, resetAfter, px, pwih, pwhh, plen, prd, ph0, pout, psaved, pdout, pdhn,
        pdx, pdwih, pdwhh, pdbih, pdbhh, pdh0);
      call.layoutOut(pdx, pdxOut, T, B, I, batchFirst);
      const result = [call.read(pdxOut, T * B * I), call.read(pdwih, G * I), call.read(pdwhh, G * H)];
      if (hasBias) result.push(call.read(pdbih, G), call.read(pdbhh, G));
      if (h0At >= 0) result.push(call.read(pdh0, B * H));
      return result;
    },
  };
  return runFusedSequence(inputs, { T, B, I, H, out: H, cell: 0 }, batchFirst, kernel, module);
}
