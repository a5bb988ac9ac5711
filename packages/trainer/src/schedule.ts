import { ArgumentError, assertInteger, assertNumberInRange, assertObject, checkOptions } from '@gated/tensor';

/**
 * A learning-rate schedule: the rate for a 0-based training step given the base rate. `describe` is stored in
 * checkpoints so that a resume with another schedule is caught.
 */
export interface Schedule {
  readonly kind: 'constant' | 'step' | 'exponential' | 'cosine';
  readonly describe: Readonly<Record<string, number | string>>;
  at(step: number, baseLearningRate: number): number;
}

/** The base rate at every step. */
export function constantSchedule(): Schedule {
  return { kind: 'constant', describe: { kind: 'constant' }, at: (_step, base) => base };
}

/**
 * Multiplies the rate by `gamma` every `stepSize` steps (PyTorch `StepLR`, counted in steps):
 * lr = base·γ^⌊step/stepSize⌋.
 */
export function stepSchedule(options: { stepSize: number; gamma?: number }): Schedule {
  assertObject('stepSchedule options', options, 'an options object { stepSize, gamma? }');
  checkOptions('stepSchedule', options, { stepSize: 'integer', gamma: 'number' });
  const { stepSize, gamma = 0.1 } = options;
  assertInteger('stepSize', stepSize, 1);
  assertNumberInRange('gamma', gamma, 0, Number.MAX_VALUE);
  return { kind: 'step', describe: { kind: 'step', stepSize, gamma }, at: (step, base) => base * gamma ** Math.floor(step / stepSize) };
}

/** Smooth exponential decay (Keras `ExponentialDecay`): lr = base·γ^(step/decaySteps); decaySteps default 1. */
export function exponentialSchedule(options: { gamma: number; decaySteps?: number }): Schedule {
  assertObject('exponentialSchedule options', options, 'an options object { gamma, decaySteps? }');
  checkOptions('exponentialSchedule', options, { gamma: 'number', decaySteps: 'integer' });
  const { gamma, decaySteps = 1 } = options;
  assertNumberInRange('gamma', gamma, 0, Number.MAX_VALUE);
  assertInteger('decaySteps', decaySteps, 1);
  return { kind: 'exponential', describe: { kind: 'exponential', gamma, decaySteps }, at: (step, base) => base * gamma ** (step / decaySteps) };
}

/**
 * Linear warm-up from 0 over `warmupSteps`, then cosine annealing to `minLearningRate` at `totalSteps`
 * (PyTorch `CosineAnnealingLR` after a `LinearLR` warm-up): during warm-up lr = base·(step+1)/warmupSteps,
 * then lr = min + (base − min)·(1 + cos(π·p))/2 with p = (step − warmup)/(total − warmup), held at min after.
 */
export function cosineSchedule(options: { totalSteps: number; warmupSteps?: number; minLearningRate?: number }): Schedule {
  assertObject('cosineSchedule options', options, 'an options object { totalSteps, warmupSteps?, minLearningRate? }');
  checkOptions('cosineSchedule', options, { totalSteps: 'integer', warmupSteps: 'integer', minLearningRate: 'number' });
  const { totalSteps, warmupSteps = 0, minLearningRate = 0 } = options;
  assertInteger('totalSteps', totalSteps, 1);
  assertInteger('warmupSteps', warmupSteps, 0);
  if (warmupSteps >= totalSteps) throw new ArgumentError('warmupSteps', `fewer than totalSteps (${totalSteps})`, String(warmupSteps));
  assertNumberInRange('minLearningRate', minLearningRate, 0, Number.MAX_VALUE);
  return {
    kind: 'cosine',
    describe: { kind: 'cosine', totalSteps, warmupSteps, minLearningRate },
    at(step, base) {
      if (step < warmupSteps) return (base * (step + 1)) / warmupSteps;
      const progress = Math.min(1, (step - warmupSteps) / (totalSteps - warmupSteps));
      return minLearningRate + ((base - minLearningRate) * (1 + Math.cos(Math.PI * progress))) / 2;
    },
  };
}
