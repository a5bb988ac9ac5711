/**
 * What the exporter needs to know about a recurrent layer, independent of the class that holds it: the resolved
 * options and the weights under PyTorch's names and layout (the @gated/cells contract).
 */
import type { GruUpdateGate, RecurrentKind } from '@gated/cells';
import { OnnxUnsupportedError } from './errors.js';

export type { RecurrentKind } from '@gated/cells';

/** A weight as plain data: row-major float32 values and their shape. */
export interface WeightData {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** One recurrent layer (all its layers and directions) as the exporter and importer see it. */
export interface RecurrentSpec {
  readonly kind: RecurrentKind;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly batchFirst: boolean;
  readonly bias: boolean;
  /** LSTM: size of the projected hidden state (0 = none). */
  readonly projSize: number;
  /** LSTM: peephole weights weight_ci/cf/co. */
  readonly peepholes: boolean;
  /** GRU: true = r applied after the recurrent matmul (PyTorch, ONNX linear_before_reset=1). */
  readonly resetAfter: boolean;
  /** GRU: `torch` h' = (1−z)⊙n + z⊙h (PyTorch, ONNX; every cells layer) or `chung2014` h' = (1−z)⊙h + z⊙n. */
  readonly updateGate: GruUpdateGate;
  /** RNN activation. */
  readonly nonlinearity: 'tanh' | 'relu';
  /** PyTorch names (weight_ih_l0, weight_hh_l0_reverse, …) → weights. */
  readonly weights: Readonly<Record<string, WeightData>>;
}

/** Size of each step's hidden output of one direction: projSize when projecting, else hiddenSize. */
export function outSize(spec: RecurrentSpec): number {
  return spec.projSize > 0 ? spec.projSize : spec.hiddenSize;
}

/** Number of directions: 2 when bidirectional. */
export function dirs(spec: RecurrentSpec): 1 | 2 {
  return spec.bidirectional ? 2 : 1;
}

/** Input features of layer k. */
export function layerInputSize(spec: RecurrentSpec, k: number): number {
  return k === 0 ? spec.inputSize : dirs(spec) * outSize(spec);
}

/** A weight by PyTorch name, with its shape checked; a missing or misshapen weight is an error naming it. */
export function weight(spec: RecurrentSpec, name: string, shape: readonly number[]): Float32Array {
  const w = spec.weights[name];
  if (!w) throw new OnnxUnsupportedError(`weight ${name}`, `the ${spec.kind} layer has no weight named ${name}`);
  const n = shape.reduce((a, b) => a * b, 1);
  if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i]) || w.data.length !== n) {
    throw new OnnxUnsupportedError(
      `weight ${name}`,
      `expected shape [${shape.join(', ')}], found [${w.shape.join(', ')}] with ${w.data.length} values`,
    );
  }
  return w.data;
}
