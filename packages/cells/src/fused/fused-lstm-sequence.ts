import type * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertObject, checkOptions } from '@gated/tensor';
import { item } from '../list-item.js';
import type { KernelCall } from './wasm-kernels.js';
import { type FusedSequenceResult, type SequenceKernel, runFusedSequence, takeSaved } from './fused-sequence-op.js';
import { type FusedKernels, resolveKernels } from './kernel-choice.js';
import { type LengthsInput, readLengths } from '../sequence-lengths.js';
import { FUSED_SPEC, checkFloat, readMask, sequenceSizes } from './fused-inputs.js';

/** One direction of one LSTM layer in PyTorch's layout (gate rows i, f, g, o). */
export interface FusedLstmWeights {
  /** `weight_ih_l{k}`, [4H, inputSize] */
  readonly weightIh: tf.Tensor2D;
  /** `weight_hh_l{k}`, [4H, projSize || H] */
  readonly weightHh: tf.Tensor2D;
  /** `bias_ih_l{k}`, [4H]; omit both biases for `bias: false` */
  readonly biasIh?: tf.Tensor1D;
  /** `bias_hh_l{k}`, [4H] */
  readonly biasHh?: tf.Tensor1D;
  /** `weight_hr_l{k}`, [projSize, H], when projSize > 0 */
  readonly weightHr?: tf.Tensor2D;
  /** Peepholes `weight_ci_l{k}`, `weight_cf_l{k}`, `weight_co_l{k}`, [H] each; all three or none */
  readonly weightCi?: tf.Tensor1D;
  readonly weightCf?: tf.Tensor1D;
  readonly weightCo?: tf.Tensor1D;
}

/** Options of the fused sequence functions. */
export interface FusedSequenceOptions {
  /** x and output are [B, T, ·] when true (default), [T, B, ·] when false. */
  readonly batchFirst?: boolean;
  /** Run the sequence backwards (the reverse half of a bidirectional layer). Default false. */
  readonly reverse?: boolean;
  /** Valid steps per batch row (PyTorch packed-sequence semantics); default: all T. */
  readonly lengths?: LengthsInput;
  /** Initial hidden state [B, out]; default zeros. */
  readonly h0?: tf.Tensor2D;
  /**
   * Recurrent dropout: a fixed [B, out] mask (already scaled by 1/(1−p)) multiplied onto h₋₁ where it enters
   * W_hh, the same at every step. Not differentiated.
   */
  readonly recurrentMask?: tf.Tensor2D | Float32Array;
  /** The compiled kernels to run: `'native'` (Node-API addon), `'wasm'`, or `'auto'` (default: native when it loads). */
  readonly kernels?: FusedKernels;
}

/** Options of {@link fusedLstmSequence}. */
export interface FusedLstmOptions extends FusedSequenceOptions {
  /** Initial cell state [B, H]; default zeros. */
  readonly c0?: tf.Tensor2D;
}

/** Result of {@link fusedLstmSequence}: output [B, T, out], final h [B, out] and final c [B, H]. */
export interface FusedLstmResult extends FusedSequenceResult {
  readonly c: tf.Tensor2D;
}

/**
 * One direction of one LSTM layer over a whole sequence, forward and backward in fused wasm kernels. Matches
 * PyTorch's `nn.LSTM` (with `proj_size`, packed lengths) and, with peepholes, the peephole LSTM of the plain path.
 * Differentiable with respect to x, every weight, h0 and c0 on any tfjs backend.
 *
 * @example
 * const { output, h, c } = fusedLstmSequence(x, { weightIh, weightHh, biasIh, biasHh }, { lengths: [5, 3] });
 */
export function fusedLstmSequence(x: tf.Tensor3D, weights: FusedLstmWeights, options: FusedLstmOptions = {}): FusedLstmResult {
  checkOptions('fusedLstmSequence', options, { ...FUSED_SPEC, c0: 'object' });
  assertObject('fusedLstmSequence weights', weights, 'a record of weight tensors { weightIh, weightHh, … }');
  const batchFirst = options.batchFirst ?? true;
  const module = resolveKernels(options.kernels).exports;
  const { B, T, I } = sequenceSizes(x, batchFirst);
  checkFloat('weightIh', weights.weightIh, [null, I]);
  const G = weights.weightIh.shape[0];
  if (G % 4 !== 0 || G === 0) throw new ArgumentError('weightIh', 'shape [4·H, inputSize]', `[${weights.weightIh.shape.join(', ')}]`);
  const H = G / 4;
  const P = weights.weightHr ? weights.weightHr.shape[0] : 0;
  if (weights.weightHr) checkFloat('weightHr', weights.weightHr, [P, H]);
  const R = P > 0 ? P : H;
  checkFloat('weightHh', weights.weightHh, [G, R]);
  if ((weights.biasIh === undefined) !== (weights.biasHh === undefined)) {
    throw new ArgumentError('biasIh/biasHh', 'both or neither', weights.biasIh ? 'only biasIh' : 'only biasHh');
  }
  if (weights.biasIh) checkFloat('biasIh', weights.biasIh, [G]);
  if (weights.biasHh) checkFloat('biasHh', weights.biasHh, [G]);
  const peep = [weights.weightCi, weights.weightCf, weights.weightCo];
  const peepCount = peep.filter((p) => p !== undefined).length;
  if (peepCount !== 0 && peepCount !== 3) throw new ArgumentError('weightCi/weightCf/weightCo', 'all three or none', `${peepCount} of 3`);
  for (const [name, p] of [
    ['weightCi', weights.weightCi],
    ['weightCf', weights.weightCf],
    ['weightCo', weights.weightCo],
  ] as const) {
    if (p) checkFloat(name, p, [H]);
  }
  if (options.h0) checkFloat('h0', options.h0, [B, R]);
  if (options.c0) checkFloat('c0', options.c0, [B, H]);
  const lengths = readLengths(options.lengths, B, T) ?? undefined;
  const mask = readMask(options.recurrentMask, B, R);

  // Inputs in a fixed order; `at` remembers where each optional one sits.
  const inputs: tf.Tensor[] = [x, weights.weightIh, weights.weightHh];
  const push = (t: tf.Tensor | undefined): number => (t ? inputs.push(t) - 1 : -1);
  const at = {
    bih: push(weights.biasIh),
    bhh: push(weights.biasHh),
    whr: push(weights.weightHr),
    ci: push(weights.weightCi),
    cf: push(weights.weightCf),
    co: push(weights.weightCo),
    h0: push(options.h0),
    c0: push(options.c0),
  };
  const reverse = options.reverse ? 1 : 0;
  const outLen = T * B * R, flatLen = outLen + B * R + B * H;
  const get = (data: readonly Float32Array[], i: number) => (i < 0 ? undefined : data[i]);
  const peepOf = (data: readonly Float32Array[]): Float32Array | undefined => {
    if (at.ci < 0) return undefined;
    const all = new Float32Array(3 * H);
    all.set(item(data, at.ci, 'weightCi'), 0);
    all.set(item(data, at.cf, 'weightCf'), H);
    all.set(item(data, at.co, 'weightCo'), 2 * H);
    return all;
  };

  const kernel: SequenceKernel = {
    forward(call: KernelCall, data, keep) {
      // batch 1 runs matrix-vector products on W_hh packed once and kept in wasm memory (first: it may reset the arena)
      const pwhhRows = B === 1 ? call.packedRows(item(data, 2, 'weightHh'), R, G) : 0;
      // a single frame (streaming) multiplies the input by W_ih packed the same way, kept too
      const pwihRows = T * B === 1 ? call.packedRows(item(data, 1, 'weightIh'), I, G) : 0;
      const px = call.timeMajorIn(item(data, 0, 'x'), T, B, I, batchFirst);
      const pwih = pwihRows ? 0 : call.f32(data[1]), pwhh = pwhhRows ? 0 : call.f32(data[2]);
      const pbih = call.f32(get(data, at.bih)), pbhh = call.f32(get(data, at.bhh));
      const ppeep = call.f32(peepOf(data)), pwhr = call.f32(get(data, at.whr)), plen = call.i32(lengths);
      const prd = call.f32(mask), ph0 = call.f32(get(data, at.h0)), pc0 = call.f32(get(data, at.c0));
      // the value [output | h | c] is laid out in wasm memory so it comes back in one copy; with one row (or
      // time-major) the kernel's time-major output already is the caller's layout and is written in place
      const inPlace = B === 1 || !batchFirst;
      const pflat = call.alloc(flatLen), pout = inPlace ? pflat : call.alloc(outLen);
      const phn = pflat + outLen * 4, pcn = phn + B * R * 4;
      // gates [T,B,4H] then c [T,B,H], adjacent so they come back as one saved array; inference keeps neither (the
      // kernel then projects the input a few steps at a time into scratch)
      const psaved = keep ? call.alloc(T * B * 5 * H) : 0;
      const pcs = keep ? psaved + T * B * 4 * H * 4 : 0;
      call.k.lstm_forward(T, B, I, H, P, reverse, px, pwih, pwhh, pwhhRows, pwihRows, pbih, pbhh, ppeep, pwhr, plen, prd, ph0, pc0, pout, phn, pcn,
        psaved, pcs);
      if (!inPlace) call.layoutOut(pout, pflat, T, B, R, batchFirst);
      return { flat: keep ? call.readInto(pflat, flatLen, takeSaved(flatLen)) : call.read(pflat, flatLen), ...(keep ? { saved: call.readInto(psaved, T * B * 5 * H, takeSaved(T * B * 5 * H)) } : {}) };
    },
    backward(call, data, value, saved, dy) {
      const px = call.timeMajorIn(item(data, 0, 'x'), T, B, I, batchFirst);
      const [pwih, pwhh] = [call.f32(data[1]), call.f32(data[2])];
      const ppeep = call.f32(peepOf(data)), pwhr = call.f32(get(data, at.whr)), plen = call.i32(lengths);
      const prd = call.f32(mask), ph0 = call.f32(get(data, at.h0)), pc0 = call.f32(get(data, at.c0));
      const pout = call.timeMajorIn(value.subarray(0, outLen), T, B, R, batchFirst), psaved = call.f32(saved);
      const pcs = psaved + T * B * 4 * H * 4;
      const pdy = call.f32(dy), pdout = call.timeMajorIn(dy.subarray(0, outLen), T, B, R, batchFirst);
      const pdhn = pdy + outLen * 4, pdcn = pdhn + B * R * 4;
      const pdx = call.alloc(T * B * I), pdxOut = call.alloc(T * B * I), pdwih = call.alloc(G * I), pdwhh = call.alloc(G * R), pdb = call.alloc(G);
      const pdpeep = ppeep ? call.alloc(3 * H) : 0, pdwhr = P > 0 ? call.alloc(P * H) : 0;
      const pdh0 = call.alloc(B * R), pdc0 = call.alloc(B * H);
      call.k.lstm_backward(T, B, I, H, P, reverse, px, pwih, pwhh, ppeep, pwhr, plen, prd, ph0, pc0, pout, psaved, pcs, pdout, pdhn, pdcn,
        pdx, pdwih, pdwhh, pdb, pdpeep, pdwhr, pdh0, pdc0);
      call.layoutOut(pdx, pdxOut, T, B, I, batchFirst);
      const result: Float32Array[] = [call.read(pdxOut, T * B * I), call.read(pdwih, G * I), call.read(pdwhh, G * R)];
      const db = call.read(pdb, G);
      const dpeep = pdpeep ? call.read(pdpeep, 3 * H) : undefined;
      // same order as `inputs`: biases share one gradient, peepholes split from one array
      if (at.bih >= 0) result.push(db, db.slice());
      if (at.whr >= 0) result.push(call.read(pdwhr, P * H));
      if (dpeep) result.push(dpeep.slice(0, H), dpeep.slice(H, 2 * H), dpeep.slice(2 * H));
      if (at.h0 >= 0) result.push(call.read(pdh0, B * R));
      if (at.c0 >= 0) result.push(call.read(pdc0, B * H));
      return result;
    },
  };
  return runFusedSequence(inputs, { T, B, I, H, out: R, cell: H }, batchFirst, kernel, module) as FusedLstmResult;
}
