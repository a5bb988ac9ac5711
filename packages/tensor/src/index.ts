// Backend: set-up, what training needs, measurement
export { initBackend, WASM_FILES } from './backend/backend.js';
export type { BackendName, InitBackendOptions, WasmPaths } from './backend/backend.js';
export { registerGradients } from './backend/gradients.js';
export { profile, assertNoLeak, TensorLeakError } from './backend/profile.js';
export type { ProfileResult } from './backend/profile.js';

// Random: the seeded generator and weight initializers
export { Rng } from './random/rng.js';
export type { RngState } from './random/rng.js';
export { zeros, ones, constant, uniform, normal, glorotUniform, orthogonal, recurrentUniform, withForgetBias } from './random/initializers.js';
export type { Initializer } from './random/initializers.js';

// I/O: safetensors and atomic writes
export { readSafetensors, writeSafetensors, SafetensorsError } from './io/safetensors.js';
export type { NamedTensor, Safetensors, SafetensorsDtype } from './io/safetensors.js';
export { readSafetensorsFile, writeSafetensorsFile } from './io/safetensors-file.js';
export { toTfTensors, fromTfTensors } from './io/safetensors-tf.js';
export { writeFileAtomic } from './io/atomic-write.js';

// Data: the dataset interface and datasets
export type { Batch, Dataset } from './data/dataset.js';
export { collate, COLLATE_DEFAULTS } from './data/collate.js';
export type { Example, CollateOptions } from './data/collate.js';
export { inMemoryDataset } from './data/in-memory-dataset.js';
export type { BatchingOptions, EpochDataset, InMemoryDataset } from './data/in-memory-dataset.js';
export { streamingDataset } from './data/streaming-dataset.js';
export type { StreamingOptions } from './data/streaming-dataset.js';
export { tensorDataset } from './data/tensor-dataset.js';
export type { TensorDataset } from './data/tensor-dataset.js';
export { LanguageModelDataset } from './data/language-model-dataset.js';
export type { LanguageModelDatasetOptions } from './data/language-model-dataset.js';
export { withEpochs } from './data/with-epochs.js';

// Errors and checks at the package boundary (used by every gated package)
export { GatedError, ArgumentError, BackendUnavailableError, GradientsUnavailableError, NodeOnlyError } from './check/errors.js';
export { checkOptions, describeValue, OptionsError } from './check/options.js';
export type { OptionRule, OptionSpec, OptionProblem, OptionsErrorDetails } from './check/options.js';
export { editDistance } from './data/edit-distance.js';
export { assertShape, assertInteger, assertNumberInRange } from './check/shape-check.js';
export type { ShapePattern } from './check/shape-check.js';
export { toBytes, toFloat32Array, assertTensor, assertObject, assertString } from './check/argument-check.js';
