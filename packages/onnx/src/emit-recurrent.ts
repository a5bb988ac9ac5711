/**
 * Emits a stack of recurrent layers as standard ONNX LSTM/GRU/RNN nodes, one node per layer (both directions in
 * one node via `direction`), with the Transpose/Reshape that turn a node's Y [T, dirs, B, H] into the next
 * layer's X [T, B, dirs·H].
 */
import { OnnxUnsupportedError } from './errors.js';
import type { GraphBuilder } from './graph-builder.js';
import { floatTensor } from './onnx-proto.js';
import { dirs, type RecurrentSpec } from './recurrent-spec.js';
import { toOnnxLayer } from './weight-packing.js';

const OP_TYPE = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN' } as const;

/** Graph values feeding the stack. */
export interface RecurrentInputs {
  /** Time-major input [T, B, F]. */
  readonly x: string;
  /** int32 [B] valid lengths, or undefined for full-length sequences. */
  readonly lengths?: string | undefined;
  /** [layers·dirs, B, H] initial hidden state, PyTorch's h_0. */
  readonly initialHidden?: string | undefined;
  /** [layers·dirs, B, H] initial cell state (LSTM), PyTorch's c_0. */
  readonly initialCell?: string | undefined;
}

/** Graph values the stack produces. */
export interface RecurrentOutputs {
  /** Last layer's per-step outputs, time-major [T, B, dirs·H'] (zero past each length). */
  readonly sequence: string;
  /** The last layer's node output Y [T, dirs, B, H'] (before flattening the directions). */
  readonly lastY: string;
  /** h_n of every layer, [layers·dirs, B, H'] (PyTorch's h_n). */
  readonly hidden: string;
  /** c_n (LSTM), [layers·dirs, B, H]. */
  readonly cell?: string;
  /** The last layer's h_n [dirs, B, H'] (forward: last valid step; reverse: step 0). */
  readonly lastHidden: string;
}

/** Adds the recurrent stack to `g`. `prefix` namespaces its initializers ("rnn." inside a SequenceModel). */
export function emitRecurrent(g: GraphBuilder, spec: RecurrentSpec, inputs: RecurrentInputs, prefix = ''): RecurrentOutputs {
  const D = dirs(spec);
  if (spec.projSize > 0 && spec.kind !== 'lstm') {
    throw new OnnxUnsupportedError(`projSize on a ${spec.kind}`, 'only LSTM has a projection');
  }
  if (spec.projSize > 0 && (inputs.initialHidden || inputs.initialCell)) {
    // ONNX's LSTM carries the unprojected state; a given projected h_0 cannot be lifted back to it.
    throw new OnnxUnsupportedError(
      'LSTM projection (projSize) with initialState',
      'the exact decomposition runs ONNX LSTM on the unprojected hidden state, so a projected initial hidden state cannot be fed in; export without initialState',
    );
  }
  const direction = spec.bidirectional ? 'bidirectional' : 'forward';
  let x = inputs.x;
  const hs: string[] = [];
  const cs: string[] = [];
  let lastY = '';
  let lastHidden = '';
  for (let k = 0; k < spec.numLayers; k++) {
    const w = toOnnxLayer(spec, k);
    const name = (n: string): string => `${prefix}l${k}.${n}`;
    const W = g.initializer(floatTensor(name('W'), w.W.dims, w.W.data));
    const R = g.initializer(floatTensor(name('R'), w.R.dims, w.R.data));
    const B = w.B ? g.initializer(floatTensor(name('B'), w.B.dims, w.B.data)) : '';
    const P = w.P ? g.initializer(floatTensor(name('P'), w.P.dims, w.P.data)) : '';
    const sliceLayer = (state: string | undefined, what: string): string => {
      if (!state) return '';
      const starts = g.int64(name(`${what}_start`), [k * D]);
      const ends = g.int64(name(`${what}_end`), [(k + 1) * D]);
      const axes = g.int64(name(`${what}_axes`), [0]);
      return g.op('Slice', [state, starts, ends, axes], name(`${what}_0`));
    };
    const h0 = sliceLayer(inputs.initialHidden, 'h');
    const c0 = spec.kind === 'lstm' ? sliceLayer(inputs.initialCell, 'c') : '';
    const attrs: Record<string, number | string | string[]> = { hidden_size: spec.hiddenSize, direction };
    if (spec.kind === 'gru') attrs['linear_before_reset'] = spec.resetAfter ? 1 : 0;
    if (spec.kind === 'rnn') {
      const act = spec.nonlinearity === 'relu' ? 'Relu' : 'Tanh';
      attrs['activations'] = D === 2 ? [act, act] : [act];
    }
    const lens = inputs.lengths ?? '';
    const nodeInputs =
      spec.kind === 'lstm' ? [x, W, R, B, lens, h0, c0, P] : [x, W, R, B, lens, h0];
    const [nodeY, nodeYh, nodeYc] = g.node(
      OP_TYPE[spec.kind],
      nodeInputs,
      spec.kind === 'lstm' ? [name('Y'), name('Y_h'), name('Y_c')] : [name('Y'), name('Y_h')],
      attrs,
    );
    let y = nodeY;
    let yh = nodeYh;
    if (w.projection) {
      // h = W_hr·m: m is [.., dirs, B, H] and the per-direction W_hrᵀ [dirs, H, P] broadcasts over T.
      const proj = g.initializer(floatTensor(name('weight_hr_T'), w.projection.dims, w.projection.data));
      y = g.op('MatMul', [y, proj], name('Y_proj'));
      yh = g.op('MatMul', [yh, proj], name('Y_h_proj'));
    }
    hs.push(yh);
    // Only the LSTM node has a Y_c output.
    if (nodeYc !== undefined) cs.push(nodeYc);
    lastY = y;
    lastHidden = yh;
    // [T, dirs, B, H'] → [T, B, dirs, H'] → [T, B, dirs·H']
    const t = g.op('Transpose', [y], name('Y_tbdh'), { perm: [0, 2, 1, 3] });
    x = g.op('Reshape', [t, g.int64(name('flat_shape'), [0, 0, -1])], name('X_next'));
  }
  const concat = (values: string[], hint: string): string =>
    values.length === 1 ? g.op('Identity', values, hint) : g.op('Concat', values, hint, { axis: 0 });
  return {
    sequence: x,
    lastY,
    hidden: concat(hs, `${prefix}hidden`),
    ...(spec.kind === 'lstm' ? { cell: concat(cs, `${prefix}cell`) } : {}),
    lastHidden,
  };
}
