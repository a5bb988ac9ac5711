/**
 * Reads ONNX models made of the standard LSTM/GRU/RNN operators (ours, or torch.onnx.export's) back into
 * PyTorch-named weights: a RecurrentSpec, and for models this package exported, the whole SequenceModel.
 */
import { GATE_COUNT, type GruUpdateGate } from '@gated/cells';
import type { SequenceModelSpec } from './build-model.js';
import { OnnxFormatError, OnnxUnsupportedError } from './errors.js';
import type { Preprocessing } from './export-options.js';
import { AttrType, type AttributeProto, decodeModel, type ModelProto, type NodeProto, tensorValues } from './onnx-proto.js';
import type { RecurrentKind, RecurrentSpec, WeightData } from './recurrent-spec.js';
import { fromOnnxLayer } from './weight-packing.js';

const KIND_OF_OP: Readonly<Record<string, RecurrentKind>> = { LSTM: 'lstm', GRU: 'gru', RNN: 'rnn' };

/** What a model holds, as plain data. */
export interface ReadResult {
  readonly spec: RecurrentSpec;
  /** Set for SequenceModels exported by this package. */
  readonly model?: SequenceModelSpec;
  readonly metadata: Readonly<Record<string, string>>;
  readonly preprocessing: Preprocessing;
  readonly proto: ModelProto;
}

interface Constant {
  readonly dims: number[];
  readonly values: number[];
}

function constants(m: ModelProto): Map<string, Constant> {
  const out = new Map<string, Constant>();
  m.graph.initializers.forEach((t, i) => {
    out.set(t.name, { dims: t.dims, values: tensorValues(t, `graph.initializer[${i}]`) });
  });
  m.graph.nodes.forEach((n, i) => {
    if (n.opType !== 'Constant') return;
    const value = n.attributes.find((a) => a.name === 'value' && a.t);
    if (value?.t && n.outputs[0]) {
      out.set(n.outputs[0], { dims: value.t.dims, values: tensorValues(value.t, `graph.node[${i}] Constant`) });
    }
  });
  return out;
}

function attr(n: NodeProto, name: string): AttributeProto | undefined {
  return n.attributes.find((a) => a.name === name);
}

function attrInt(n: NodeProto, name: string, dflt: number): number {
  const a = attr(n, name);
  return a?.i ?? dflt;
}

const decoder = new TextDecoder();
function attrString(n: NodeProto, name: string, dflt: string): string {
  const a = attr(n, name);
  return a?.s ? decoder.decode(a.s) : dflt;
}

function attrStrings(n: NodeProto, name: string): string[] | undefined {
  const a = attr(n, name);
  return a && a.type === AttrType.STRINGS ? a.strings.map((s) => decoder.decode(s)) : undefined;
}

function parseJson<T>(meta: Record<string, string>, key: string): T | undefined {
  const v = meta[key];
  if (v === undefined) return undefined;
  try {
    return JSON.parse(v) as T;
  } catch {
    throw new OnnxFormatError(`metadata_props["${key}"]`, 'JSON', JSON.stringify(v.slice(0, 40)));
  }
}

interface StoredLayerConfig {
  /** `seed` is how files written before the form was named after its source spell `chung2014`. */
  updateGate?: GruUpdateGate | 'seed';
  batchFirst?: boolean;
  projSize?: number;
  resetAfter?: boolean;
}

interface StoredModelConfig {
  pooling: 'last' | 'mean' | 'none';
  outputSize: number;
}

/** Parses bytes and reads the recurrent stack (and our SequenceModel wrapper when present). */
export function readRecurrent(bytes: Uint8Array): ReadResult {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new OnnxFormatError('ModelProto', 'non-empty ONNX model bytes', bytes instanceof Uint8Array ? 'an empty buffer' : typeof bytes);
  }
  const proto = decodeModel(bytes);
  const meta: Record<string, string> = {};
  for (const p of proto.metadataProps) meta[p.key] = p.value;
  const stored = parseJson<{ layer?: StoredLayerConfig; model?: StoredModelConfig }>(meta, 'gated.config') ?? {};
  const projSize = stored.layer?.projSize ?? 0;
  const consts = constants(proto);
  const nodes = proto.graph.nodes.filter((n) => KIND_OF_OP[n.opType] !== undefined && (n.domain === '' || n.domain === 'ai.onnx'));
  const firstOp = nodes[0]?.opType ?? '';
  const kind = KIND_OF_OP[firstOp];
  if (kind === undefined) {
    const ops = [...new Set(proto.graph.nodes.map((n) => n.opType))].join(', ');
    throw new OnnxUnsupportedError('a model without LSTM, GRU or RNN operators', `found only: ${ops || 'no nodes'}`);
  }
  const storedGate = stored.layer?.updateGate ?? 'torch';
  const updateGate: GruUpdateGate = kind === 'gru' && (storedGate === 'chung2014' || storedGate === 'seed') ? 'chung2014' : 'torch';
  const weights: Record<string, WeightData> = {};
  let hiddenSize = 0;
  let numDirections: 1 | 2 = 1;
  let inputSize = 0;
  let bias = true;
  let peepholes = false;
  let resetAfter = true;
  let nonlinearity: 'tanh' | 'relu' = 'tanh';

  for (const [k, n] of nodes.entries()) {
    const where = `${n.opType} node "${n.name || k}"`;
    if (KIND_OF_OP[n.opType] !== kind) {
      throw new OnnxUnsupportedError(`a stack mixing ${firstOp} and ${n.opType}`, 'a layer has one recurrent kind');
    }
    const direction = attrString(n, 'direction', 'forward');
    if (direction === 'reverse') throw new OnnxUnsupportedError(`${where} direction "reverse"`, 'use forward or bidirectional');
    const D: 1 | 2 = direction === 'bidirectional' ? 2 : 1;
    const H = attrInt(n, 'hidden_size', 0);
    if (attr(n, 'clip')) throw new OnnxUnsupportedError(`${where} attribute clip`, 'cells do not clip their state');
    if (attrInt(n, 'input_forget', 0) !== 0) throw new OnnxUnsupportedError(`${where} attribute input_forget`, 'coupled input-forget gates are not a cell option');
    // `layout` (batch- or time-major X/Y) does not change what the weights mean, and only weights are read.
    const acts = attrStrings(n, 'activations');
    const defaults: Record<RecurrentKind, string[]> = { lstm: ['Sigmoid', 'Tanh', 'Tanh'], gru: ['Sigmoid', 'Tanh'], rnn: ['Tanh'] };
    let expected = defaults[kind];
    if (kind === 'rnn' && acts?.[0] === 'Relu') {
      expected = ['Relu'];
      nonlinearity = 'relu';
    }
    if (acts && acts.join() !== Array.from({ length: D }, () => expected).flat().join()) {
      throw new OnnxUnsupportedError(`${where} activations [${acts.join(', ')}]`, `expected [${expected.join(', ')}] per direction`);
    }
    const get = (i: number, what: string): Constant | undefined => {
      const name = n.inputs[i] ?? '';
      if (name === '') return undefined;
      const c = consts.get(name);
      if (!c) throw new OnnxUnsupportedError(`${where} input ${what} "${name}" computed at run time`, 'weights must be initializers or Constant nodes');
      return c;
    };
    const getRequired = (i: number, what: string): Constant => {
      const c = get(i, what);
      if (c === undefined) throw new OnnxFormatError(where, `input ${what}`, 'none');
      return c;
    };
    const G = GATE_COUNT[kind];
    const W = getRequired(1, 'W');
    const R = getRequired(2, 'R');
    const B = get(3, 'B');
    const P = kind === 'lstm' ? get(7, 'P') : undefined;
    const inSize = W.dims[2] ?? 0;
    const check = (c: Constant, what: string, dims: number[]): void => {
      if (c.dims.join() !== dims.join()) throw new OnnxFormatError(`${where} ${what}`, `dims [${dims}]`, `[${c.dims}]`);
    };
    check(W, 'W', [D, G * H, inSize]);
    check(R, 'R', [D, G * H, H]);
    if (B) check(B, 'B', [D, 2 * G * H]);
    if (P) check(P, 'P', [D, 3 * H]);
    if (k === 0) {
      hiddenSize = H;
      numDirections = D;
      inputSize = inSize;
      bias = B !== undefined;
      peepholes = P !== undefined;
      // Only GRU has the attribute; other kinds keep the stored (or default) value so re-export is identical.
      resetAfter = kind === 'gru' ? attrInt(n, 'linear_before_reset', 0) === 1 : (stored.layer?.resetAfter ?? true);
    } else {
      if (H !== hiddenSize || D !== numDirections) {
        throw new OnnxUnsupportedError(`${where}`, `layers of one stack share hidden_size ${hiddenSize} and direction; found ${H}, ${D} directions`);
      }
      const prev = D * (projSize || H);
      if (inSize !== prev) throw new OnnxFormatError(`${where} W`, `input size ${prev} (the previous layer's output)`, String(inSize));
      if ((B !== undefined) !== bias || (P !== undefined) !== peepholes) {
        throw new OnnxUnsupportedError(`${where}`, 'every layer of a stack has biases (and peepholes) or none does');
      }
      if (kind === 'gru' && (attrInt(n, 'linear_before_reset', 0) === 1) !== resetAfter) {
        throw new OnnxUnsupportedError(`${where} linear_before_reset`, 'every layer of a stack has the same GRU form');
      }
    }
    const torch = fromOnnxLayer(
      kind,
      k,
      D,
      H,
      inSize,
      { W: W.values, R: R.values, ...(B ? { B: B.values } : {}), ...(P ? { P: P.values } : {}) },
      updateGate,
    );
    if (projSize > 0) {
      if (kind !== 'lstm') throw new OnnxFormatError('metadata_props gated.config', 'projSize only on an LSTM', kind);
      // Our projection graph: Y → MatMul(Y, weight_hr_T [D, H, P]).
      const mm = proto.graph.nodes.find((m) => m.opType === 'MatMul' && m.inputs[0] === n.outputs[0]);
      const hrT = mm ? consts.get(mm.inputs[1] ?? '') : undefined;
      if (!hrT || hrT.dims.join() !== [D, H, projSize].join()) {
        throw new OnnxUnsupportedError(
          `${where} with projection (projSize ${projSize})`,
          `expected a MatMul of its Y by a constant [${D}, ${H}, ${projSize}] projection after it`,
        );
      }
      unfuseProjection(torch, k, D, H, projSize, hrT.values);
    }
    Object.assign(weights, torch);
  }

  const spec: RecurrentSpec = {
    kind,
    inputSize,
    hiddenSize,
    numLayers: nodes.length,
    bidirectional: numDirections === 2,
    batchFirst: stored.layer?.batchFirst ?? true,
    bias,
    projSize,
    peepholes,
    resetAfter,
    updateGate,
    nonlinearity,
    weights,
  };

  const vocabulary = parseJson<string[]>(meta, 'gated.vocabulary');
  const features = parseJson<Record<string, unknown>>(meta, 'gated.features');
  const scaler = parseJson<{ mean: number[]; std: number[] }>(meta, 'gated.scaler');
  const preprocessing: Preprocessing = {
    ...(vocabulary !== undefined ? { vocabulary } : {}),
    ...(features !== undefined ? { features } : {}),
    ...(scaler !== undefined ? { scaler } : {}),
    ...(meta['gated.task'] !== undefined ? { task: meta['gated.task'] } : {}),
  };

  let model: SequenceModelSpec | undefined;
  if (stored.model) {
    const w = (name: string): WeightData | undefined => {
      const c = consts.get(name);
      return c ? { shape: c.dims, data: Float32Array.from(c.values) } : undefined;
    };
    const embedding = w('embedding.weight');
    let headWeight = w('head.weight');
    const headT = w('head.weight_T');
    if (!headWeight && headT) {
      const [inF, outF] = headT.shape as [number, number];
      const data = new Float32Array(inF * outF);
      for (let i = 0; i < inF; i++) for (let o = 0; o < outF; o++) data[o * inF + i] = headT.data[i * outF + o]!;
      headWeight = { shape: [outF, inF], data };
    }
    if (!headWeight) throw new OnnxFormatError('SequenceModel graph', 'an initializer head.weight or head.weight_T', 'neither');
    const headBias = w('head.bias');
    model = {
      rnn: spec,
      ...(embedding ? { embedding } : {}),
      head: { weight: headWeight, ...(headBias ? { bias: headBias } : {}) },
      pooling: stored.model.pooling,
    };
  }
  return { spec, ...(model ? { model } : {}), metadata: meta, preprocessing, proto };
}

/**
 * The exporter fuses R = weight_hh·weight_hr [4H, H]. With weight_hr [P, H] of full row rank, weight_hh =
 * R·weight_hrᵀ·(weight_hr·weight_hrᵀ)⁻¹ recovers it (float64 here; exact up to the float32 rounding of R).
 */
function unfuseProjection(
  torch: Record<string, { shape: number[]; data: Float32Array }>,
  k: number,
  D: number,
  H: number,
  P: number,
  hrT: readonly number[],
): void {
  for (let d = 0; d < D; d++) {
    const sfx = `_l${k}${d === 1 ? '_reverse' : ''}`;
    const hr = new Float64Array(P * H); // weight_hr [P, H]
    for (let h = 0; h < H; h++) for (let p = 0; p < P; p++) hr[p * H + h] = hrT[d * H * P + h * P + p]!;
    // A = hr·hrᵀ [P, P], inverted by Gauss-Jordan with partial pivoting.
    const a = new Float64Array(P * 2 * P);
    for (let i = 0; i < P; i++) {
      for (let j = 0; j < P; j++) {
        let s = 0;
        for (let h = 0; h < H; h++) s += hr[i * H + h]! * hr[j * H + h]!;
        a[i * 2 * P + j] = s;
      }
      a[i * 2 * P + P + i] = 1;
    }
    for (let c = 0; c < P; c++) {
      let piv = c;
      for (let r = c + 1; r < P; r++) if (Math.abs(a[r * 2 * P + c]!) > Math.abs(a[piv * 2 * P + c]!)) piv = r;
      if (Math.abs(a[piv * 2 * P + c]!) < 1e-12) {
        throw new OnnxUnsupportedError(`LSTM projection weight_hr${sfx}`, 'a projection of full rank (this one is singular)');
      }
      for (let j = 0; j < 2 * P; j++) [a[c * 2 * P + j], a[piv * 2 * P + j]] = [a[piv * 2 * P + j]!, a[c * 2 * P + j]!];
      const inv = 1 / a[c * 2 * P + c]!;
      for (let j = 0; j < 2 * P; j++) a[c * 2 * P + j]! *= inv;
      for (let r = 0; r < P; r++) {
        if (r === c) continue;
        const f = a[r * 2 * P + c]!;
        if (f !== 0) for (let j = 0; j < 2 * P; j++) a[r * 2 * P + j]! -= f * a[c * 2 * P + j]!;
      }
    }
    // M = hrᵀ·A⁻¹ [H, P]; weight_hh = R·M [4H, P]
    const m = new Float64Array(H * P);
    for (let h = 0; h < H; h++) {
      for (let p = 0; p < P; p++) {
        let s = 0;
        for (let q = 0; q < P; q++) s += hr[q * H + h]! * a[q * 2 * P + P + p]!;
        m[h * P + p] = s;
      }
    }
    const fusedWeight = torch[`weight_hh${sfx}`];
    if (fusedWeight === undefined) throw new OnnxFormatError(`LSTM layer ${k}`, `a weight_hh${sfx} to unfuse`, 'none');
    const fused = fusedWeight.data;
    const whh = new Float32Array(4 * H * P);
    for (let r = 0; r < 4 * H; r++) {
      for (let p = 0; p < P; p++) {
        let s = 0;
        for (let h = 0; h < H; h++) s += fused[r * H + h]! * m[h * P + p]!;
        whh[r * P + p] = s;
      }
    }
    torch[`weight_hh${sfx}`] = { shape: [4 * H, P], data: whh };
    torch[`weight_hr${sfx}`] = { shape: [P, H], data: Float32Array.from(hr) };
  }
}
