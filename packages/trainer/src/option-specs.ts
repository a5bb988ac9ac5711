import type { OptionSpec } from '@gated/tensor';

/** The keys of {@link FitOptions} and what they hold; checked by `fit` before anything runs. */
export const FIT_SPEC = {
  epochs: 'integer',
  steps: 'integer',
  validationData: 'object',
  loss: ['crossEntropy', 'mse', 'mae'],
  optimizer: 'any',
  optimizerOptions: 'object',
  learningRate: 'number',
  schedule: 'object',
  clipNorm: 'number',
  clipValue: 'number',
  tbptt: 'integer',
  stateful: 'boolean',
  earlyStopping: 'object',
  callbacks: 'any',
  metrics: 'array',
  seed: 'integer',
  checkpointDir: 'string',
  checkpointEvery: 'integer',
  resume: [true, false, 'if-exists'],
  onNonFinite: ['error', 'skip'],
  progress: ['auto', 'bar', 'lines', 'none'],
  progressStream: 'object',
  logFile: 'string',
} as const satisfies OptionSpec;

/** The keys of `EarlyStoppingOptions`. */
export const EARLY_STOPPING_SPEC = {
  monitor: 'string',
  patience: 'integer',
  minDelta: 'number',
  mode: ['auto', 'min', 'max'],
  restoreBestWeights: 'boolean',
} as const satisfies OptionSpec;

/** The keys of `EvaluateOptions`. */
export const EVALUATE_SPEC = { loss: FIT_SPEC.loss, metrics: 'array', stateful: 'boolean' } as const satisfies OptionSpec;

/** The optimizer names and the options each accepts. */
export const OPTIMIZER_SPECS = {
  sgd: { learningRate: 'number', momentum: 'number', dampening: 'number', nesterov: 'boolean', weightDecay: 'number' },
  adam: { learningRate: 'number', beta1: 'number', beta2: 'number', epsilon: 'number', weightDecay: 'number', kernels: ['auto', 'native', 'tfjs'] },
  adamw: { learningRate: 'number', beta1: 'number', beta2: 'number', epsilon: 'number', weightDecay: 'number', kernels: ['auto', 'native', 'tfjs'] },
  rmsprop: { learningRate: 'number', alpha: 'number', epsilon: 'number', momentum: 'number', centered: 'boolean', weightDecay: 'number' },
} as const satisfies Record<string, OptionSpec>;
