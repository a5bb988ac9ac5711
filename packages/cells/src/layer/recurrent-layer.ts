import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, Rng, type RngState, assertShape, assertTensor, checkOptions } from '@gated/tensor';
import { type CellConfig, type CellWeights, createCellWeights } from '../cell-config.js';
import { row } from '../direction-result.js';
import { StateDictError } from '../errors.js';
import { fusedDirection } from '../fused/fused-direction.js';
import { FUSED_KERNELS } from '../fused/kernel-choice.js';
import { type Implementation, type RunImplementation, chooseImplementation } from '../implementation.js';
import type { RecurrentKind } from '../recurrent-vocabulary.js';
import { lengthsMask, readLengths } from '../sequence-lengths.js';
import { sequenceDirection } from '../sequence/sequence-direction.js';
import { readStateDict } from '../state-dict.js';
import { stepDirection } from '../step/step-direction.js';
import { loadTorchStateDictFile, saveTorchStateDict } from '../torch-file.js';
import type { ForwardOptions, RecurrentLayerOptions, ResolvedRecurrentLayerOptions, SequenceOutput, TorchStateDictInput } from '../types.js';
import { FORWARD_SPEC, resolveLayerOptions } from './layer-options.js';
import { SequenceStream, type StreamOptions, checkStreamable } from './sequence-stream.js';

/** Key of the internal probed forward (not part of the public API). */
export const PROBE: unique symbol = Symbol('gated.cells.probe');

/** Key of the internal accessor of a layer's per-direction cells (used by {@link recordGates}). */
export const CELLS: unique symbol = Symbol('gated.cells.cells');

/** One direction of one layer: what it computes and its weights (cell names, no `_l0` suffix). */
export interface LayerCell {
  readonly cfg: CellConfig;
  readonly weights: CellWeights;
  readonly suffix: string;
}

/**
 * The shared machinery of {@link LSTM}, {@link GRU} and {@link SimpleRNN}: stacked, optionally bidirectional
 * recurrent layers with PyTorch's weight names, packed-sequence semantics for `lengths`, and four
 * implementations (`step`, `sequence`, `fused`, `native`; see {@link Implementation}) that agree within 1e-5.
 */
export class RecurrentLayer {
  /** 'lstm', 'gru' or 'rnn'. */
  readonly kind: RecurrentKind;
  /** The options with every default filled in. */
  readonly config: ResolvedRecurrentLayerOptions;
  /** The implementation the last `forward` ran, null before the first call. */
  lastImplementation: RunImplementation | null = null;
  /** Why `auto` chose what it chose (or that the choice was forced), for logs. */
  lastImplementationReason = '';
  /** Weights of layer k, direction d at index k·dirs + d. */
  private readonly cells: readonly LayerCell[];
  private dropoutRng: Rng;

  protected constructor(kind: RecurrentKind, options: RecurrentLayerOptions) {
    this.kind = kind;
    this.config = resolveLayerOptions(kind, options);
    const o = this.config;
    const rng = new Rng(o.seed);
    this.dropoutRng = rng.fork('dropout');
    const initRng = rng.fork('init');
    const dirs = o.bidirectional ? 2 : 1;
    const cells: { cfg: CellConfig; weights: CellWeights; suffix: string }[] = [];
    for (let k = 0; k < o.numLayers; k++) {
      for (let d = 0; d < dirs; d++) {
        const cfg: CellConfig = {
          kind,
          inputSize: k === 0 ? o.inputSize : dirs * (o.projSize > 0 ? o.projSize : o.hiddenSize),
          hiddenSize: o.hiddenSize,
          bias: o.bias,
          projSize: o.projSize,
          peepholes: o.peepholes,
          resetAfter: o.resetAfter,
          nonlinearity: o.nonlinearity,
        };
        cells.push({ cfg, weights: createCellWeights(cfg, initRng), suffix: `_l${k}${d === 1 ? '_reverse' : ''}` });
      }
    }
    this.cells = cells;
  }

  /** Number of directions: 2 when bidirectional. */
  get directions(): number {
    return this.config.bidirectional ? 2 : 1;
  }

  /** Size of h per direction: projSize when an LSTM projects, else hiddenSize. */
  get outputSize(): number {
    return this.config.projSize > 0 ? this.config.projSize : this.config.hiddenSize;
  }

  /**
   * Runs the layer over a batch of sequences.
   *
   * @example
   * const { output, hidden } = lstm.forward(x, { lengths: [50, 31, 12] });
   */
  forward(x: tf.Tensor3D, options: ForwardOptions = {}): SequenceOutput {
    checkOptions(`${this.constructor.name}.forward`, options, FORWARD_SPEC);
    return this.run(x, options, null);
  }

  /**
   * Internal: the forward pass with the step loop and `probe[t]` added to the top layer's forward-direction
   * hidden state after step t, so ∂L/∂probe[t] = ∂L/∂h_t (used by {@link gradientFlow}).
   */
  [PROBE](x: tf.Tensor3D, options: ForwardOptions, probe: readonly tf.Tensor2D[]): SequenceOutput {
    return this.run(x, options, probe);
  }

  /** Internal: the cells of layer k, direction d at index k·dirs + d. */
  [CELLS](): readonly LayerCell[] {
    return this.cells;
  }

  private run(x: tf.Tensor3D, options: ForwardOptions, probe: readonly tf.Tensor2D[] | null): SequenceOutput {
    const o = this.config;
    assertTensor('x', x);
    if (x.rank !== 3) throw new ArgumentError('x', `a rank-3 tensor [${o.batchFirst ? 'B, T' : 'T, B'}, ${o.inputSize}]`, `shape [${x.shape.join(', ')}]`);
    assertShape('x', x.shape, [null, null, o.inputSize]);
    const [batch, steps] = o.batchFirst ? [x.shape[0], x.shape[1]] : [x.shape[1], x.shape[0]];
    if (batch < 1 || steps < 1) throw new ArgumentError('x', 'at least one sequence of at least one step', `shape [${x.shape.join(', ')}]`);
    const lengths = readLengths(options.lengths, batch, steps);
    const dirs = this.directions;
    const stateRows = o.numLayers * dirs;
    const init = options.initialState;
    if (init) {
      assertShape('initialState.hidden', init.hidden.shape, [stateRows, batch, this.outputSize]);
      if (this.kind === 'lstm') {
        if (!init.cell) throw new ArgumentError('initialState.cell', `[${stateRows}, ${batch}, ${o.hiddenSize}] for an LSTM`, 'undefined');
        assertShape('initialState.cell', init.cell.shape, [stateRows, batch, o.hiddenSize]);
      }
    }
    const training = options.training ?? false;
    const choice = probe ? { implementation: 'step' as const, reason: 'step: gradientFlow needs every h_t on the tape' } : chooseImplementation(o.implementation);
    const impl = choice.implementation;
    this.lastImplementation = impl;
    this.lastImplementationReason = choice.reason;
    const P = this.outputSize;
    // Random masks are drawn before the tidy so the Rng sequence does not depend on the implementation.
    const interLayer: (Float32Array | null)[] = [];
    const recurrent: (Float32Array | null)[] = [];
    for (let k = 0; k < o.numLayers; k++) {
      interLayer.push(training && o.dropout > 0 && k < o.numLayers - 1 ? dropoutMask(this.dropoutRng, steps * batch * dirs * P, o.dropout) : null);
      for (let d = 0; d < dirs; d++) {
        recurrent.push(training && o.recurrentDropout > 0 ? dropoutMask(this.dropoutRng, batch * P, o.recurrentDropout) : null);
      }
    }
    const compiled = impl === 'fused' || impl === 'native';
    // The compiled kernels read and write the batch-first layout themselves (in kernel memory), so they skip the two
    // tfjs transposes (and the transposes of their gradients) — unless inter-layer dropout masks, drawn time-major,
    // are applied between layers.
    const batchFirstKernels = compiled && o.batchFirst && interLayer.every((m) => m === null);
    const timeMajor = o.batchFirst && !batchFirstKernels;
    return tf.tidy(() => {
      const xs = (timeMajor ? tf.transpose(x, [1, 0, 2]) : x) as tf.Tensor3D;
      const mask = lengths && !compiled ? lengthsMask(lengths, steps) : null;
      let layerInput = xs;
      const hs: tf.Tensor2D[] = [];
      const cs: tf.Tensor2D[] = [];
      for (let k = 0; k < o.numLayers; k++) {
        const outs: tf.Tensor3D[] = [];
        for (const [d, cell] of this.cells.slice(k * dirs, (k + 1) * dirs).entries()) {
          const idx = k * dirs + d;
          const h0 = init ? row(init.hidden, idx) : tf.zeros<tf.Rank.R2>([batch, P]);
          const c0 = this.kind === 'lstm' ? (init?.cell ? row(init.cell, idx) : tf.zeros<tf.Rank.R2>([batch, o.hiddenSize])) : null;
          const rd = recurrent[idx] ?? null;
          const res =
            compiled
              ? fusedDirection(cell.cfg, cell.weights, layerInput, h0, c0, lengths, d === 1, rd, impl === 'native' ? 'native' : 'wasm', batchFirstKernels)
              : impl === 'sequence'
                ? sequenceDirection(cell.cfg, cell.weights, layerInput, h0, c0, mask, lengths, d === 1, rd)
                : stepDirection(cell.cfg, cell.weights, layerInput, h0, c0, mask, d === 1, rd, k === o.numLayers - 1 && d === 0 ? probe : null);
          outs.push(res.output);
          hs.push(res.h);
          if (res.c) cs.push(res.c);
        }
        const [only] = outs;
        layerInput = outs.length === 1 && only ? only : (tf.concat(outs, 2) as tf.Tensor3D);
        const drop = interLayer[k];
        if (drop) layerInput = tf.mul(layerInput, tf.tensor3d(drop, [steps, batch, dirs * P]));
      }
      const output = (timeMajor ? tf.transpose(layerInput, [1, 0, 2]) : layerInput) as tf.Tensor3D;
      const hidden = tf.stack(hs) as tf.Tensor3D;
      return this.kind === 'lstm' ? { output, hidden, cell: tf.stack(cs) as tf.Tensor3D } : { output, hidden };
    });
  }

  /**
   * A stream for online inference: feed one frame or chunk at a time, the state carried between calls (see
   * {@link SequenceStream}). Unidirectional layers only; the weights are read now, once.
   *
   * @example
   * const stream = gru.stream();
   * const y = stream.push(frame); // Float32Array [inputSize] → [hiddenSize]
   */
  stream(options: StreamOptions = {}): SequenceStream {
    checkOptions('stream', options, { batch: 'integer', kernels: FUSED_KERNELS, initialState: 'object' });
    checkStreamable(this.config.bidirectional);
    return new SequenceStream(this.cells, options);
  }

  /** The weights by PyTorch names (`weight_ih_l0`, `weight_hh_l0_reverse`, …) in PyTorch's order. */
  parameters(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const { weights, suffix } of this.cells) {
      for (const [name, v] of Object.entries(weights)) out[`${name}${suffix}`] = v;
    }
    return out;
  }

  /** Number of scalar weights; equals PyTorch's `sum(p.numel() for p in m.parameters())` (plus peepholes). */
  countParams(): number {
    return Object.values(this.parameters()).reduce((n, v) => n + v.size, 0);
  }

  /** The state of the generator that draws dropout masks, so a checkpoint can resume with the same masks. */
  getRngState(): RngState {
    return this.dropoutRng.state;
  }

  /** Restores the dropout generator from {@link RecurrentLayer.getRngState}. */
  setRngState(state: RngState): void {
    this.dropoutRng = Rng.fromState(state);
  }

  /** Copies of the weights under PyTorch's names; the caller owns (and disposes) them. */
  torchStateDict(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [name, v] of Object.entries(this.parameters())) out[name] = tf.clone(v);
    return out;
  }

  /**
   * Loads weights saved by PyTorch (`module.state_dict()`) or by {@link RecurrentLayer.torchStateDict}. Every key
   * must be present with its exact shape and no other key may appear; otherwise a {@link StateDictError} names
   * the key with the expected and actual shapes, and nothing is changed.
   */
  loadTorchStateDict(record: TorchStateDictInput): void {
    const params = this.parameters();
    const values = readStateDict(record, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.shape])));
    for (const [name, v] of Object.entries(params)) {
      const t = values[name];
      if (t === undefined) throw new StateDictError('missing', name, v.shape, null);
      v.assign(t);
      t.dispose();
    }
  }

  /** Writes the weights to a PyTorch-named `.safetensors` file; see {@link saveTorchStateDict}. */
  saveTorchStateDict(path: string, metadata?: Record<string, string>): Promise<void> {
    return saveTorchStateDict(path, this, metadata);
  }

  /** Loads a PyTorch-named `.safetensors` file; see {@link loadTorchStateDictFile}. */
  loadTorchStateDictFile(path: string): Promise<void> {
    return loadTorchStateDictFile(path, this);
  }

  /** Frees every weight. */
  dispose(): void {
    for (const v of Object.values(this.parameters())) v.dispose();
  }
}

function dropoutMask(rng: Rng, size: number, rate: number): Float32Array {
  const u = rng.uniformArray(size);
  const keep = 1 / (1 - rate);
  for (const [i, v] of u.entries()) u[i] = v >= rate ? keep : 0;
  return u;
}
