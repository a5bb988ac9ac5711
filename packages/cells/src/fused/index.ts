// The single entry the rest of @gated/cells imports the fused kernels from.
export { fusedLstmSequence } from './fused-lstm-sequence.js';
export type { FusedLstmWeights, FusedLstmOptions, FusedLstmResult, FusedSequenceOptions } from './fused-lstm-sequence.js';
export { fusedGruSequence } from './fused-gru-sequence.js';
export type { FusedGruWeights, FusedGruOptions } from './fused-gru-sequence.js';
export { fusedRnnSequence } from './fused-rnn-sequence.js';
export type { FusedRnnWeights, FusedRnnOptions } from './fused-rnn-sequence.js';
export type { FusedSequenceResult } from './fused-sequence-op.js';
export { fusedAvailable, loadFusedKernel } from './wasm-kernels.js';
export type { KernelExports } from './wasm-kernels.js';
export { FUSED_KERNELS, resolveKernels } from './kernel-choice.js';
export type { FusedKernels } from './kernel-choice.js';
export { fusedSgemm } from './sgemm.js';
export { FusedUnavailableError } from './errors.js';
