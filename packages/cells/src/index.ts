export { LSTMCell } from './step/lstm-cell.js';
export type { LSTMCellOptions } from './step/lstm-cell.js';
export { GRUCell } from './step/gru-cell.js';
export type { GRUCellOptions } from './step/gru-cell.js';
export { SimpleRNNCell } from './step/simple-rnn-cell.js';
export type { SimpleRNNCellOptions } from './step/simple-rnn-cell.js';
export { RecurrentLayer } from './layer/recurrent-layer.js';
export { LSTM } from './layer/lstm.js';
export { GRU } from './layer/gru.js';
export { SimpleRNN } from './layer/simple-rnn.js';
export { LAYER_DEFAULTS, LAYER_OPTION_KEYS } from './layer/layer-options.js';
export { StateDictError, UnsupportedOptionError } from './errors.js';
export type { StateDictProblem } from './errors.js';
export type { CellConfig, CellWeights } from './cell-config.js';
export { GATE_COUNT, GATE_ORDER, RECURRENT_KINDS } from './recurrent-vocabulary.js';
export type { GruUpdateGate, RecurrentKind } from './recurrent-vocabulary.js';
export { IMPLEMENTATIONS } from './implementation.js';
export type { Implementation } from './implementation.js';
export type {
  ForwardOptions,
  RecurrentLayerOptions,
  RecurrentState,
  ResolvedRecurrentLayerOptions,
  SequenceOutput,
  SequenceState,
  TorchStateDictInput,
} from './types.js';
export { Linear } from './linear.js';
export type { LinearOptions } from './linear.js';
export { Embedding } from './embedding.js';
export type { EmbeddingOptions } from './embedding.js';
export { SEQUENCE_MODEL_OPTION_KEYS, SequenceModel } from './sequence-model.js';
export type { Pooling, ResolvedSequenceModelOptions, SequenceModelFeatures, SequenceModelOptions, SequenceModelOutput } from './sequence-model.js';
export { disposeGateRecording, recordGates } from './gate-recording.js';
export type { GRUGates, GateRecording, LSTMGates, RecordGatesOptions } from './gate-recording.js';
export { gradientFlow } from './gradient-flow.js';
export type { GradientFlow, GradientFlowOptions } from './gradient-flow.js';
export { saveTorchStateDict, loadTorchStateDictFile } from './torch-file.js';
export type { TorchStateDictOwner } from './torch-file.js';
export { flipGruUpdateGate } from './gru-convention.js';
export { FusedUnavailableError, fusedAvailable, fusedGruSequence, fusedLstmSequence, fusedRnnSequence, loadFusedKernel } from './fused/index.js';
export type {
  FusedGruOptions,
  FusedGruWeights,
  FusedLstmOptions,
  FusedLstmResult,
  FusedLstmWeights,
  FusedRnnOptions,
  FusedRnnWeights,
  FusedSequenceOptions,
  FusedSequenceResult,
  FusedKernels,
} from './fused/index.js';
export { SequenceStream } from './layer/sequence-stream.js';
export type { StreamOptions } from './layer/sequence-stream.js';
export { NativeUnavailableError, nativeAvailable, nativeInfo, setNativeIsa, setNativeThreads } from './native/index.js';
export type { NativeInfo, NativeIsa } from './native/index.js';
export { linearCrossEntropy } from './loss/linear-cross-entropy.js';
export type { LinearCrossEntropyKernels, LinearCrossEntropyOptions, LinearCrossEntropyResult } from './loss/linear-cross-entropy.js';
export { nativeAttentionAvailable, nativeAttentionCombine } from './attention/attention-combine.js';
export type { AttentionCombineInputs } from './attention/attention-combine.js';
export { nativeAdamAvailable, nativeAdamStep, nativeAdamStepArrays } from './optim/adam-step.js';
export { adamStepOnWasmHeap } from './optim/adam-on-wasm-heap.js';
export { wasmHeapViews } from './wasm-heap-view.js';
export type { AdamStepArrays, AdamStepEntry, AdamStepOptions } from './optim/adam-step.js';
