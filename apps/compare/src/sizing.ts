import { GATE_COUNT, type RecurrentKind, type RecurrentLayerOptions, type SequenceModelOptions } from '@gated/cells';
import { ArgumentError, assertInteger } from '@gated/tensor';

/** The recurrent kinds the app compares: @gated/cells' kinds (gate counts as PyTorch: LSTM 4, GRU 3, RNN 1). */
export type ModelKind = RecurrentKind;

/**
 * How a model was sized: the task's hidden size; GRU widened to LSTM's parameter count; or GRU at the task's hidden
 * size trained for as many FLOPs as the LSTM (more steps, see flops.ts).
 */
export type Sizing = 'equal-hidden' | 'equal-params' | 'equal-compute';

/**
 * Model hyper-parameters that decide the parameter count: the options of @gated/cells' SequenceModel, in PyTorch's
 * names (`inputSize` is ignored when `vocabSize` is set: the embedding feeds the RNN; `outputSize` 0 = no head), plus
 * the layer's `bias`.
 */
export type ModelShape = Pick<SequenceModelOptions, 'kind' | 'inputSize' | 'vocabSize' | 'embeddingDim' | 'hiddenSize' | 'numLayers' | 'bidirectional' | 'projSize' | 'outputSize'> &
  Pick<RecurrentLayerOptions, 'bias'>;

/**
 * Parameters of torch.nn.LSTM / GRU / RNN with the same arguments: per layer and direction,
 * gates·H·(in + H_out) weights plus 2·gates·H biases, plus weight_hr [P, H] when an LSTM projects to P.
 */
export function recurrentParams(shape: Omit<ModelShape, 'outputSize' | 'vocabSize' | 'embeddingDim'> & { readonly inputSize: number }): number {
  const g = GATE_COUNT[shape.kind];
  const h = shape.hiddenSize;
  const layers = shape.numLayers ?? 1;
  const dirs = shape.bidirectional === true ? 2 : 1;
  const proj = shape.kind === 'lstm' ? (shape.projSize ?? 0) : 0;
  const hOut = proj > 0 ? proj : h;
  const bias = shape.bias ?? true;
  let total = 0;
  for (let layer = 0; layer < layers; layer++) {
    const input = layer === 0 ? shape.inputSize : hOut * dirs;
    // weight_ih [g·H, in] + weight_hh [g·H, H_out] (+ bias_ih, bias_hh [g·H]) (+ weight_hr [P, H]).
    const perDirection = g * h * input + g * h * hOut + (bias ? 2 * g * h : 0) + (proj > 0 ? proj * h : 0);
    total += perDirection * dirs;
  }
  return total;
}

/**
 * Parameters of a whole sequence model: optional Embedding (vocab·dim), the recurrent stack and a Linear head
 * (out·H_out + out), as @gated/cells' SequenceModel and its PyTorch twin count them.
 */
export function modelParams(shape: ModelShape): number {
  const embedded = shape.vocabSize !== undefined;
  const inputSize = embedded ? (shape.embeddingDim ?? 0) : (shape.inputSize ?? 0);
  if (inputSize <= 0) throw new ArgumentError('inputSize', 'a positive input size (or vocabSize with embeddingDim)', String(inputSize));
  const embedding = shape.vocabSize !== undefined ? shape.vocabSize * inputSize : 0;
  const proj = shape.kind === 'lstm' ? (shape.projSize ?? 0) : 0;
  const features = (proj > 0 ? proj : shape.hiddenSize) * (shape.bidirectional === true ? 2 : 1);
  const head = shape.outputSize > 0 ? shape.outputSize * features + (shape.bias ?? true ? shape.outputSize : 0) : 0;
  return embedding + recurrentParams({ ...shape, inputSize }) + head;
}

/** The solved hidden size and how close the parameter counts came. */
export interface EqualParamsSolution {
  readonly hiddenSize: number;
  readonly params: number;
  readonly targetParams: number;
  /** (params − target) / target. */
  readonly relativeGap: number;
}

/**
 * The hidden size that brings a model of `shape.kind` closest to `targetParams` parameters (ties go to the
 * smaller model), all other hyper-parameters kept. Used to widen the GRU to the LSTM's parameter count.
 *
 * @example
 * const lstm = modelParams({ kind: 'lstm', inputSize: 2, hiddenSize: 64, outputSize: 1 });
 * solveHiddenSize({ kind: 'gru', inputSize: 2, hiddenSize: 64, outputSize: 1 }, lstm).hiddenSize; // 74
 */
export function solveHiddenSize(shape: ModelShape, targetParams: number): EqualParamsSolution {
  assertInteger('targetParams', targetParams, 1);
  let best = { hiddenSize: 1, params: modelParams({ ...shape, hiddenSize: 1 }) };
  // Parameters grow strictly with H, so scan until the count passes the target.
  for (let h = 2; ; h++) {
    const params = modelParams({ ...shape, hiddenSize: h });
    if (Math.abs(params - targetParams) < Math.abs(best.params - targetParams)) best = { hiddenSize: h, params };
    if (params >= targetParams) break;
  }
  return { ...best, targetParams, relativeGap: (best.params - targetParams) / targetParams };
}
