export { initBackend } from './backend.js';
export { registerWasmTrainingKernels } from './wasm-kernels.js';
export { registerGradients } from './gradients.js';
export type { BackendName, InitBackendOptions } from './backend.js';
export { GatedError, ArgumentError, BackendUnavailableError } from './errors.js';
export { Rng } from './rng.js';
export type { RngState } from './rng.js';
export {
  zeros,
  ones,
  constant,
  uniform,
  normal,
  glorotUniform,
  orthogonal,
  recurrentUniform,
  withForgetBias,
  fans,
} from './initializers.js';
export type { Initializer } from './initializers.js';
export { assertShape, assertInteger, assertNumberInRange } from './shape-check.js';
export { checkOptions, describeValue, OptionsError } from './options.js';
export type { OptionRule, OptionSpec, OptionProblem, OptionsErrorDetails } from './options.js';
export { editDistance } from './edit-distance.js';
export { toBytes, toFloat32Array, assertTensor, assertObject, assertString } from './argument-check.js';
export type { ShapePattern } from './shape-check.js';
export type { Batch, Dataset } from './dataset.js';
export { writeFileAtomic } from './atomic-write.js';
export { readSafetensors, writeSafetensors, SafetensorsError } from './safetensors.js';
export type { NamedTensor, Safetensors, SafetensorsDtype } from './safetensors.js';
export { readSafetensorsFile, writeSafetensorsFile } from './safetensors-file.js';
export { toTfTensors, fromTfTensors } from './safetensors-tf.js';
export { profile, assertNoLeak, TensorLeakError } from './profile.js';
export type { ProfileResult } from './profile.js';
export { collate, packExamples, COLLATE_DEFAULTS } from './dataset-collate.js';
export type { Example, CollateOptions } from './dataset-collate.js';
export { inMemoryDataset } from './dataset-memory.js';
export { withEpochs } from './dataset-epochs.js';
export type { BatchingOptions, EpochDataset, InMemoryDataset } from './dataset-memory.js';
export { streamingDataset } from './dataset-stream.js';
export type { StreamingOptions } from './dataset-stream.js';
export { tensorDataset } from './dataset-tensors.js';
export type { TensorDataset } from './dataset-tensors.js';
export { languageModelDataset } from './dataset-language-model.js';
export type { LanguageModelDataset, LanguageModelDatasetOptions } from './dataset-language-model.js';
