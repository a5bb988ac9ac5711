import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertInteger, checkOptions, type OptionSpec } from '@gated/tensor';
import { type CellConfig, type CellWeights, outputSizeOf } from './cell-config.js';
import { gruStepGates, prepareGru } from './step/gru-cell.js';
import { lstmStepGates, prepareLstm } from './step/lstm-cell.js';
import { rnnStep, prepareRnn } from './step/simple-rnn-cell.js';
import { CELLS, type RecurrentLayer } from './layer/recurrent-layer.js';
import { item } from './list-item.js';
import { lengthsMask, readLengths } from './sequence-lengths.js';
import { SequenceModel } from './sequence-model.js';

/** LSTM gate activations, each [B, T, H] (batch first whatever the layer's `batchFirst`), PyTorch's gates i, f, g, o. */
export interface LSTMGates {
  /** i_t, the input gate. */
  readonly input: tf.Tensor3D;
  /** f_t, the forget gate (c_t keeps f⊙c_{t−1}). */
  readonly forget: tf.Tensor3D;
  /** g_t = tanh(…), the candidate cell (PyTorch's "cell gate"). */
  readonly cell: tf.Tensor3D;
  /** o_t, the output gate. */
  readonly output: tf.Tensor3D;
}

/** GRU gate activations, each [B, T, H] (batch first whatever the layer's `batchFirst`), PyTorch's gates r, z, n. */
export interface GRUGates {
  /** r_t, the reset gate. */
  readonly reset: tf.Tensor3D;
  /** z_t, the update gate (PyTorch's convention: h_t = (1−z)⊙n + z⊙h_{t−1}, so z near 1 keeps the state). */
  readonly update: tf.Tensor3D;
  /** n_t, the candidate state. */
  readonly candidate: tf.Tensor3D;
}

/** What {@link recordGates} recorded for one direction of one layer. The caller disposes it ({@link disposeGateRecording}). */
export type GateRecording =
  | {
      readonly kind: 'lstm';
      readonly layer: number;
      readonly direction: 'forward' | 'backward';
      readonly gates: LSTMGates;
      /** c_t [B, T, H]. */
      readonly cellState: tf.Tensor3D;
      /** h_t [B, T, P] (P = projSize when the LSTM projects), as the layer's output for this direction. */
      readonly hidden: tf.Tensor3D;
    }
  | {
      readonly kind: 'gru';
      readonly layer: number;
      readonly direction: 'forward' | 'backward';
      readonly gates: GRUGates;
      readonly hidden: tf.Tensor3D;
    };

/** Options of {@link recordGates}. */
export interface RecordGatesOptions {
  /** Valid steps per sequence; past its length a sequence's gates, cell state and h are recorded as 0. */
  readonly lengths?: readonly number[] | Int32Array;
  /** Which layer to record (0-based); default the top layer. */
  readonly layer?: number;
  /** Which direction of a bidirectional layer; default 'forward'. */
  readonly direction?: 'forward' | 'backward';
}

const RECORD_SPEC = { lengths: 'any', layer: 'integer', direction: ['forward', 'backward'] } as const satisfies OptionSpec;

type StepRecord = { h: tf.Tensor2D; c: tf.Tensor2D | null; gates: tf.Tensor2D[] };

/** Runs one direction step by step (inference, no dropout) and keeps what every step computed, in time order. */
function runDirection(cfg: CellConfig, w: CellWeights, xs: tf.Tensor3D, mask: tf.Tensor3D | null, reverse: boolean): StepRecord[] {
  const [steps, batch] = [xs.shape[0], xs.shape[1]];
  const xt = tf.unstack(xs) as tf.Tensor2D[];
  const mt = mask ? (tf.unstack(mask) as tf.Tensor2D[]) : null;
  const lstm = cfg.kind === 'lstm' ? prepareLstm(w) : null;
  const gru = cfg.kind === 'gru' ? prepareGru(w, cfg.resetAfter) : null;
  const rnn = cfg.kind === 'rnn' ? prepareRnn(w, cfg.nonlinearity) : null;
  let h = tf.zeros([batch, outputSizeOf(cfg)]) as tf.Tensor2D;
  let c = lstm ? (tf.zeros([batch, cfg.hiddenSize]) as tf.Tensor2D) : null;
  const out: StepRecord[] = new Array(steps);
  for (let s = 0; s < steps; s++) {
    const t = reverse ? steps - 1 - s : s;
    let hNew: tf.Tensor2D;
    let cNew: tf.Tensor2D | null = null;
    let gates: tf.Tensor2D[];
    const x = item(xt, t, 'time step');
    if (lstm) {
      if (c === null) throw new ArgumentError('c', 'an LSTM cell state', 'null');
      const r = lstmStepGates(lstm, x, h, c, null);
      ({ h: hNew, c: cNew } = r);
      gates = [r.gates.i, r.gates.f, r.gates.g, r.gates.o];
    } else if (gru) {
      const r = gruStepGates(gru, x, h, null);
      hNew = r.h;
      gates = [r.gates.r, r.gates.z, r.gates.n];
    } else {
      if (rnn === null) throw new ArgumentError('cfg.kind', "'lstm', 'gru' or 'rnn'", String(cfg.kind));
      hNew = rnnStep(rnn, x, h, null);
      gates = [];
    }
    const m = mt?.[t];
    if (m) {
      // Packed-sequence semantics, as the layer's forward: past a sequence's length the state is carried.
      const keep = tf.sub(1, m);
      h = tf.add(tf.mul(hNew, m), tf.mul(h, keep)) as tf.Tensor2D;
      if (cNew && c) c = tf.add(tf.mul(cNew, m), tf.mul(c, keep)) as tf.Tensor2D;
      out[t] = { h: tf.mul(hNew, m) as tf.Tensor2D, c: cNew ? (tf.mul(cNew, m) as tf.Tensor2D) : null, gates: gates.map((g) => tf.mul(g, m) as tf.Tensor2D) };
    } else {
      h = hNew;
      c = cNew;
      out[t] = { h: hNew, c: cNew, gates };
    }
  }
  return out;
}

/** [T, B] steps of [B, X] → [B, T, X]. */
const batchFirst = (rows: tf.Tensor2D[]): tf.Tensor3D => tf.stack(rows, 1) as tf.Tensor3D;

/**
 * Records the gate activations of a trained LSTM or GRU (a layer, or the recurrent layer inside a
 * {@link SequenceModel}) over a batch of sequences, with the per-step implementation (the cell equations op by
 * op, so the values are exact, not re-derived). Recording is a separate forward pass: `forward` itself is
 * unchanged and pays nothing when gates are not recorded. Inference mode (no dropout).
 *
 * @example
 * const rec = recordGates(lstm, x);                 // x [B, T, inputSize]
 * rec.kind === 'lstm' && rec.gates.forget.shape;    // [B, T, H]
 * disposeGateRecording(rec);
 */
export function recordGates(target: RecurrentLayer | SequenceModel, x: tf.Tensor, options: RecordGatesOptions = {}): GateRecording {
  checkOptions('recordGates', options, RECORD_SPEC);
  const model = target instanceof SequenceModel ? target : null;
  const layer = model ? model.rnn : (target as RecurrentLayer);
  if (layer.kind === 'rnn') throw new ArgumentError('target', 'an LSTM or GRU (a vanilla RNN has no gates)', 'rnn');
  const o = layer.config;
  const dirs = layer.directions;
  const which = options.layer ?? o.numLayers - 1;
  assertInteger('layer', which, 0, o.numLayers - 1);
  const direction = options.direction ?? 'forward';
  if (direction !== 'forward' && direction !== 'backward') throw new ArgumentError('direction', "'forward' or 'backward'", String(direction));
  if (direction === 'backward' && dirs === 1) throw new ArgumentError('direction', "'forward' (the layer is not bidirectional)", 'backward');
  if (model?.embedding) {
    if (x.rank !== 2 || x.dtype !== 'int32') throw new ArgumentError('x', 'int32 token ids [B, T] for a model with an embedding', `${x.dtype} [${x.shape.join(', ')}]`);
  } else if (x.rank !== 3 || x.shape[2] !== o.inputSize) {
    throw new ArgumentError('x', `a float tensor [${o.batchFirst ? 'B, T' : 'T, B'}, ${o.inputSize}]`, `shape [${x.shape.join(', ')}]`);
  }
  // A model's layer and token ids are batch-first; a bare layer follows its own batchFirst.
  const timeMajor = !model && !o.batchFirst;
  const [first = 0, second = 0] = x.shape;
  const [batch, steps] = timeMajor ? [second, first] : [first, second];
  const lengths = readLengths(options.lengths, batch, steps);
  const cells = layer[CELLS]();
  return tf.tidy(() => {
    const input = (model?.embedding ? model.embedding.forward(x) : x) as tf.Tensor3D;
    const xs = timeMajor ? input : (tf.transpose(input, [1, 0, 2]) as tf.Tensor3D);
    const mask = lengths ? lengthsMask(lengths, steps) : null;
    let layerInput = xs;
    for (let k = 0; k < which; k++) {
      const outs = [0, 1].slice(0, dirs).map((d) => {
        const cell = item(cells, k * dirs + d, 'layer cell');
        return tf.stack(runDirection(cell.cfg, cell.weights, layerInput, mask, d === 1).map((s) => s.h)) as tf.Tensor3D;
      });
      const [only] = outs;
      layerInput = outs.length === 1 && only ? only : (tf.concat(outs, 2) as tf.Tensor3D);
    }
    const d = direction === 'backward' ? 1 : 0;
    const cell = item(cells, which * dirs + d, 'layer cell');
    const rec = runDirection(cell.cfg, cell.weights, layerInput, mask, d === 1);
    const gate = (g: number): tf.Tensor3D => batchFirst(rec.map((s) => item(s.gates, g, 'gate')));
    const hidden = batchFirst(rec.map((s) => s.h));
    if (layer.kind === 'lstm') {
      return {
        kind: 'lstm' as const,
        layer: which,
        direction,
        gates: { input: gate(0), forget: gate(1), cell: gate(2), output: gate(3) },
        cellState: batchFirst(rec.map((s) => s.c ?? tf.zerosLike(s.h))),
        hidden,
      };
    }
    return { kind: 'gru' as const, layer: which, direction, gates: { reset: gate(0), update: gate(1), candidate: gate(2) }, hidden };
  });
}

/** Frees every tensor of a {@link GateRecording}. */
export function disposeGateRecording(recording: GateRecording): void {
  tf.dispose([...Object.values(recording.gates), recording.hidden, ...(recording.kind === 'lstm' ? [recording.cellState] : [])]);
}
