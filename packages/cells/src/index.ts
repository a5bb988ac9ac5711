export { LSTMCell } from './lstm-cell.js';
export type { LSTMCellOptions } from './lstm-cell.js';
export { GRUCell } from './gru-cell.js';
export type { GRUCellOptions } from './gru-cell.js';
export { SimpleRNNCell } from './simple-rnn-cell.js';
export type { SimpleRNNCellOptions } from './simple-rnn-cell.js';
export { RecurrentLayer } from './sequence-layer.js';
export { LSTM } from './lstm.js';
export { GRU } from './gru.js';
export { SimpleRNN } from './simple-rnn.js';
export { LAYER_DEFAULTS } from './layer-options.js';
export { StateDictError, UnsupportedOptionError } from './errors.js';
export type { StateDictProblem } from './errors.js';
export type { CellConfig, CellWeights } from './cell-config.js';
export type {
  ForwardOptions,
  Implementation,
  RecurrentKind,
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
export { SequenceModel } from './sequence-model.js';
export type { Pooling, ResolvedSequenceModelOptions, SequenceModelOptions, SequenceModelOutput } from './sequence-model.js';
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
export { SequenceStream } from './sequence-stream.js';
export type { StreamOptions } from './sequence-stream.js';
export { NativeUnavailableError, nativeAvailable, nativeInfo, setNativeIsa, setNativeThreads } from './native/index.js';
export type { NativeInfo, NativeIsa } from './native/index.js';
