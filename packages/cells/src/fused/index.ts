// The single entry the rest of @gated/cells imports the fused kernels from.
export { fusedLstmSequence } from './lstm-sequence.js';
export type { FusedLstmWeights, FusedLstmOptions, FusedLstmResult, FusedSequenceOptions } from './lstm-sequence.js';
export { fusedGruSequence } from './gru-sequence.js';
export type { FusedGruWeights, FusedGruOptions } from './gru-sequence.js';
export { fusedRnnSequence } from './rnn-sequence.js';
export type { FusedRnnWeights, FusedRnnOptions } from './rnn-sequence.js';
export type { FusedSequenceResult } from './sequence-core.js';
export { fusedAvailable, loadFusedKernel } from './kernel.js';
export type { KernelExports } from './kernel.js';
export { chooseFused, resolveKernels } from './support.js';
export type { FusedChoice, FusedImplementation, FusedKernels } from './support.js';
export { fusedSgemm } from './sgemm.js';
export { FusedUnavailableError } from './errors.js';
