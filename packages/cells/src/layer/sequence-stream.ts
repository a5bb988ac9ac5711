import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '@gated/tensor';
import { type CellConfig, type CellWeights, outputSizeOf } from '../cell-config.js';
import { GATE_COUNT } from '../recurrent-vocabulary.js';
import { UnsupportedOptionError } from '../errors.js';
import { type FusedKernels, resolveKernels } from '../fused/index.js';
import { KernelCall, type KernelExports } from '../fused/wasm-kernels.js';
import { type NativeExports, type NativeStreamHandle, nativeKernel } from '../native/native-addon.js';
import type { SequenceState } from '../types.js';

/** Options of {@link RecurrentLayer.stream}. */
export interface StreamOptions {
  /** Sequences fed side by side (rows of every chunk); default 1. */
  readonly batch?: number;
  /** The compiled kernels: `'native'`, `'wasm'` or `'auto'` (default: native when its binary loads). */
  readonly kernels?: FusedKernels;
  /** The state to start from, shaped like a layer's h_n / c_n; default zeros. */
  readonly initialState?: SequenceState;
}

const STREAM_KEYS: ReadonlySet<string> = new Set(['batch', 'kernels', 'initialState']);

/** One layer's weights as floats, read once when the stream is made. */
interface StreamCell {
  readonly cfg: CellConfig;
  readonly wih: Float32Array;
  readonly whh: Float32Array;
  readonly bih: Float32Array | undefined;
  readonly bhh: Float32Array | undefined;
  readonly whr: Float32Array | undefined;
  readonly peep: Float32Array | undefined;
}

const floats = (v: tf.Tensor | undefined): Float32Array | undefined => (v ? (v.dataSync() as Float32Array).slice() : undefined);

/** A weight every cell of its kind has, as floats; a missing one is an error naming it. */
function required(weights: CellWeights, name: string): Float32Array {
  const values = floats(weights[name]);
  if (values === undefined) throw new ArgumentError(name, `the weight ${name}`, 'none');
  return values;
}

/**
 * Online inference over a unidirectional recurrent layer: feed one frame or a chunk of frames at a time; the state
 * (h, and c for LSTM, of every layer) is carried from call to call inside the stream, and the result of feeding a
 * sequence chunk by chunk equals running it whole. The weights are read once, when the stream is made. On the
 * native kernels the packed weights and the state live native-side and a push is one call into the addon, which
 * reads the frame and writes the output in place (nothing packed or copied per call, for any batch). On the wasm
 * kernels, with one row, W_hh (and, for single frames, W_ih) is packed once and kept in kernel memory. Make a new
 * stream after changing the layer's weights.
 *
 * @example
 * const stream = lstm.stream();                      // batch 1
 * for (const frame of frames) out = stream.push(frame); // Float32Array [inputSize] → [hiddenSize]
 */
export class SequenceStream {
  /** Rows fed side by side. */
  readonly batch: number;
  /** Features per frame in. */
  readonly inputSize: number;
  /** Features per frame out (projSize when an LSTM projects, else hiddenSize). */
  readonly outputSize: number;
  /** Which kernels run the stream. */
  readonly kernels: 'native' | 'wasm';
  private readonly module: KernelExports;
  private readonly cells: readonly StreamCell[];
  /** The first layer's configuration (every layer shares kind, hiddenSize and projSize). */
  private readonly cfg: CellConfig;
  private h: Float32Array[];
  private c: Float32Array[];
  /** The native stream (packed weights and state native-side), when running on the native kernels. */
  private readonly native: { readonly k: NativeExports; readonly handle: NativeStreamHandle } | undefined;

  /** @internal Made by {@link RecurrentLayer.stream}. */
  constructor(cells: readonly { readonly cfg: CellConfig; readonly weights: CellWeights }[], options: StreamOptions = {}) {
    for (const key of Object.keys(options)) {
      if (!STREAM_KEYS.has(key)) throw new ArgumentError('options', `only ${[...STREAM_KEYS].join(', ')}`, `unknown key ${key}`);
    }
    const batch = options.batch ?? 1;
    if (!Number.isInteger(batch) || batch < 1) throw new ArgumentError('batch', 'an integer ≥ 1', String(batch));
    const resolved = resolveKernels(options.kernels ?? 'auto');
    this.batch = batch;
    this.kernels = resolved.name;
    this.module = resolved.exports;
    this.cells = cells.map(({ cfg, weights }) => ({
      cfg,
      wih: required(weights, 'weight_ih'),
      whh: required(weights, 'weight_hh'),
      bih: floats(weights['bias_ih']),
      bhh: floats(weights['bias_hh']),
      whr: floats(weights['weight_hr']),
      peep: cfg.peepholes ? Float32Array.from([...required(weights, 'weight_ci'), ...required(weights, 'weight_cf'), ...required(weights, 'weight_co')]) : undefined,
    }));
    const first = cells[0]?.cfg;
    const last = cells.at(-1)?.cfg;
    if (first === undefined || last === undefined) throw new ArgumentError('layer', 'at least one layer', 'none');
    this.cfg = first;
    this.inputSize = first.inputSize;
    this.outputSize = outputSizeOf(last);
    this.h = [];
    this.c = [];
    this.native = resolved.name === 'native' ? this.nativeStream() : undefined;
    this.reset(options.initialState);
  }

  /** Hands every layer's weights to a native stream, which packs them once and carries the state. */
  private nativeStream(): { readonly k: NativeExports; readonly handle: NativeStreamHandle } {
    const k = nativeKernel(), cfg = this.cfg;
    const kind = cfg.kind === 'lstm' ? 0 : cfg.kind === 'gru' ? 1 : 2;
    const flag = cfg.kind === 'gru' ? (cfg.resetAfter ? 1 : 0) : cfg.kind === 'rnn' && cfg.nonlinearity === 'relu' ? 1 : 0;
    const handle = k.stream_new(kind, this.batch, cfg.hiddenSize, cfg.kind === 'lstm' ? cfg.projSize : 0, flag);
    for (const cell of this.cells) {
      k.stream_layer(handle, cell.cfg.inputSize, cell.wih, cell.whh, cell.bih ?? null, cell.bhh ?? null, cell.peep ?? null, cell.whr ?? null);
    }
    return { k, handle };
  }

  /**
   * Feeds `x`, [batch, steps, inputSize] row-major (one frame when steps is 1), and returns every step's output of
   * the top layer, [batch, steps, outputSize]. The state moves on by `steps`.
   */
  push(x: Float32Array): Float32Array {
    const perStep = this.batch * this.inputSize;
    if (!(x instanceof Float32Array) || x.length === 0 || x.length % perStep !== 0) {
      throw new ArgumentError('x', `a Float32Array of batch·steps·inputSize = k·${perStep} values`, x instanceof Float32Array ? `${x.length} values` : typeof x);
    }
    const T = x.length / perStep;
    if (this.native) {
      const out = new Float32Array(T * this.batch * this.outputSize);
      this.native.k.stream_push(this.native.handle, T, x, out);
      return out;
    }
    let input = x;
    this.cells.forEach((cell, k) => {
      input = this.runCell(cell, k, input, T);
    });
    return input;
  }

  /** {@link push} on a tensor [batch, steps, inputSize]; returns [batch, steps, outputSize] (the caller disposes it). */
  pushTensor(x: tf.Tensor3D): tf.Tensor3D {
    if (x.rank !== 3 || x.shape[0] !== this.batch || x.shape[2] !== this.inputSize) {
      throw new ArgumentError('x', `a tensor [${this.batch}, steps, ${this.inputSize}]`, `shape [${x.shape.join(', ')}]`);
    }
    const out = this.push(x.dataSync() as Float32Array);
    return tf.tensor3d(out, [this.batch, x.shape[1], this.outputSize]);
  }

  /** The carried state as tensors shaped like a layer's h_n [layers, batch, out] / c_n (the caller disposes them). */
  state(): SequenceState {
    if (this.native) {
      const L = this.cells.length, B = this.batch, R = outputSizeOf(this.cfg), H = this.cfg.hiddenSize, lstm = this.cfg.kind === 'lstm';
      const h = new Float32Array(L * B * R), c = lstm ? new Float32Array(L * B * H) : null;
      this.native.k.stream_state(this.native.handle, h, c, false);
      const hidden = tf.tensor3d(h, [L, B, R]);
      return c ? { hidden, cell: tf.tensor3d(c, [L, B, H]) } : { hidden };
    }
    const stack = (parts: Float32Array[], width: number) => {
      const all = new Float32Array(parts.length * this.batch * width);
      parts.forEach((p, i) => {
        all.set(p, i * this.batch * width);
      });
      return tf.tensor3d(all, [parts.length, this.batch, width]);
    };
    const hidden = stack(this.h, outputSizeOf(this.cfg));
    if (this.cfg.kind !== 'lstm') return { hidden };
    return { hidden, cell: stack(this.c, this.cfg.hiddenSize) };
  }

  /** Starts over from `state` (shaped like h_n / c_n), or from zeros. */
  reset(state?: SequenceState): void {
    const L = this.cells.length, cfg = this.cfg, R = outputSizeOf(cfg), H = cfg.hiddenSize;
    if (state) {
      const expect = (name: string, t: tf.Tensor | undefined, width: number) => {
        if (t?.rank !== 3 || t.shape[0] !== L || t.shape[1] !== this.batch || t.shape[2] !== width) {
          throw new ArgumentError(name, `a tensor [${L}, ${this.batch}, ${width}]`, t ? `shape [${t.shape.join(', ')}]` : 'undefined');
        }
        return t.dataSync() as Float32Array;
      };
      const h = expect('initialState.hidden', state.hidden, R);
      this.h = this.cells.map((_, k) => h.slice(k * this.batch * R, (k + 1) * this.batch * R));
      if (cfg.kind === 'lstm') {
        const c = expect('initialState.cell', state.cell, H);
        this.c = this.cells.map((_, k) => c.slice(k * this.batch * H, (k + 1) * this.batch * H));
      }
    } else {
      this.h = this.cells.map(() => new Float32Array(this.batch * R));
      this.c = cfg.kind === 'lstm' ? this.cells.map(() => new Float32Array(this.batch * H)) : [];
    }
    if (!this.native) return;
    // the native stream carries the state from here on
    const all = (parts: readonly Float32Array[], width: number) => {
      const a = new Float32Array(L * this.batch * width);
      parts.forEach((p, k) => {
        a.set(p, k * this.batch * width);
      });
      return a;
    };
    this.native.k.stream_state(this.native.handle, all(this.h, R), cfg.kind === 'lstm' ? all(this.c, H) : null, true);
    this.h = [];
    this.c = [];
  }

  private runCell(cell: StreamCell, k: number, x: Float32Array, T: number): Float32Array {
    const { cfg } = cell, B = this.batch, I = cfg.inputSize, H = cfg.hiddenSize, R = outputSizeOf(cfg);
    const G = GATE_COUNT[cfg.kind] * H;
    const call = new KernelCall(this.module);
    // kept packed weights first: a miss may reset the arena
    const resetAfter = cfg.kind !== 'gru' || cfg.resetAfter;
    const pwhhRows = B === 1 && resetAfter ? call.packedRows(cell.whh, R, G) : 0;
    const pwihRows = T * B === 1 ? call.packedRows(cell.wih, I, G) : 0;
    const px = call.timeMajorIn(x, T, B, I, true);
    const pwih = pwihRows ? 0 : call.f32(cell.wih), pwhh = pwhhRows ? 0 : call.f32(cell.whh);
    const pbih = call.f32(cell.bih), pbhh = call.f32(cell.bhh), ph0 = call.f32(this.h[k]);
    const pout = call.alloc(T * B * R), phn = call.alloc(B * R), pres = call.alloc(T * B * R);
    if (cfg.kind === 'lstm') {
      const ppeep = call.f32(cell.peep), pwhr = call.f32(cell.whr), pc0 = call.f32(this.c[k]);
      const pcn = call.alloc(B * H), pgates = call.alloc(T * B * 4 * H), pcs = call.alloc(T * B * H);
      call.k.lstm_forward(T, B, I, H, cfg.projSize, 0, px, pwih, pwhh, pwhhRows, pwihRows, pbih, pbhh, ppeep, pwhr, 0, 0, ph0, pc0,
        pout, phn, pcn, pgates, pcs);
      this.c[k] = call.read(pcn, B * H);
    } else if (cfg.kind === 'gru') {
      const psaved = call.alloc(T * B * call.k.gru_saved_width(H, cfg.resetAfter ? 1 : 0));
      call.k.gru_forward(T, B, I, H, 0, cfg.resetAfter ? 1 : 0, px, pwih, pwhh, pwhhRows, pwihRows, pbih, pbhh, 0, 0, ph0, pout, phn, psaved);
    } else {
      call.k.rnn_forward(T, B, I, H, 0, cfg.nonlinearity === 'relu' ? 1 : 0, px, pwih, pwhh, pwhhRows, pwihRows, pbih, pbhh, 0, 0, ph0, pout, phn);
    }
    this.h[k] = call.read(phn, B * R);
    call.layoutOut(pout, pres, T, B, R, true);
    return call.read(pres, T * B * R);
  }
}

/** Rejects layers a stream cannot carry (a backward direction needs the future). */
export function checkStreamable(bidirectional: boolean): void {
  if (bidirectional) throw new UnsupportedOptionError('bidirectional', 'true', 'a stream runs forward in time; the reverse direction needs the whole sequence');
}
