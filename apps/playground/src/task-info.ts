import type { RunSettings, TaskName } from './protocol.js';

/** Settings each task starts from (the adding problem learns with few units; the char LM needs more). */
export const TASK_DEFAULTS: Readonly<Record<TaskName, Omit<RunSettings, 'task' | 'seed'>>> = {
  adding: { seqLen: 30, hiddenSize: 16, batchSize: 32, learningRate: 0.01, steps: 300 },
  'char-lm': { seqLen: 32, hiddenSize: 48, batchSize: 32, learningRate: 0.01, steps: 300 },
  co2: { seqLen: 24, hiddenSize: 16, batchSize: 32, learningRate: 0.01, steps: 300 },
  'spoken-digits': { seqLen: 50, hiddenSize: 32, batchSize: 32, learningRate: 0.01, steps: 300 },
};

/** How the page names each task. */
export const TASK_TEXT: Readonly<Record<TaskName, string>> = {
  adding: 'adding problem',
  'char-lm': 'char LM on Moby-Dick, chapter 1',
  co2: 'CO2 forecast (Mauna Loa, monthly)',
  'spoken-digits': 'spoken digits (held-out voices)',
};

/** MSE of always predicting the adding problem's mean target (1): Var(U₁ + U₂) = 1/6. */
export const ADDING_BASELINE_MSE = 1 / 6;
