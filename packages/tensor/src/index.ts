export { initBackend } from './backend.js';
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
export type { ShapePattern } from './shape-check.js';
export type { Batch, Dataset } from './dataset.js';
