import * as tf from '@tensorflow/tfjs-core';
import { SequenceModel, type SequenceModelOptions } from '@gated/cells';
import type { TranscriptBatch } from '@gated/datasets-speech';
import { type Dataset, profile } from '@gated/tensor';
import { curveSteps, predictor } from '../measure-seed.js';
import { SPEED_STEPS, type SpeedRunRequest, speedRecord } from '../measure-speed.js';
import type { Curve, SeedSpeed, SeedTraining } from '../results.js';
import type { SeedRunOutcome, SeedRunRequest } from '../run-compare.js';
import { DIGIT_CLASSES, trainCtc } from './ctc-training.js';
import { recurrentTask } from './task.js';

/** The acoustic model of the task: a one-layer bidirectional recurrent stack with a per-frame Linear head. */
export function acousticModelOptions(kind: SequenceModelOptions['kind'], inputSize: number, hiddenSize: number, seed: number): SequenceModelOptions {
  return { kind, inputSize, hiddenSize, bidirectional: true, outputSize: DIGIT_CLASSES.length, pooling: 'none', seed };
}

async function firstBatch(data: Dataset<TranscriptBatch>): Promise<TranscriptBatch> {
  for await (const batch of data) return batch;
  throw new Error('the training data yielded no batch');
}

/** Peak tensor memory of one CTC training step of a fresh model on seed 0's first batch (weights, Adam state, activations, gradients). */
async function stepMemory(options: SequenceModelOptions, transcripts: (seed: number) => Dataset<TranscriptBatch>, learningRate: number): Promise<number> {
  const model = new SequenceModel(options);
  try {
    const batch = await firstBatch(transcripts(0));
    const weights = Object.values(model.parameters()).reduce((sum, v) => sum + v.size * 4, 0);
    const batchBytes = [batch.x, batch.y, batch.lengths, batch.targetLengths].reduce((s, t) => s + t.size * 4, 0);
    const before = tf.memory().numBytes;
    const one: Dataset<TranscriptBatch> = { size: 1, async *[Symbol.asyncIterator]() { yield batch; } };
    const { peakBytes } = await profile(() => trainCtc(model, one, { steps: 1, learningRate, clipNorm: 1 }));
    return peakBytes - (before - weights - batchBytes);
  } finally {
    model.dispose();
  }
}

/**
 * The training phase of one seed of one speech-ctc unit: trains the bidirectional acoustic model with CTC for the
 * budget's steps and scores it (digit error rates greedy and beam as metric and extras, learning curve). Speed and
 * memory come from {@link measureCtcSpeed} in the speed phase, which runs alone.
 */
export async function trainCtcSeed(request: SeedRunRequest, inputSize: number, transcripts: (seed: number) => Dataset<TranscriptBatch>): Promise<SeedRunOutcome> {
  const { unit, hiddenSize, budget, seed } = request;
  // Called as the speech-ctc task's own runSeed / runSpeed: the task is a recurrent one.
  const task = recurrentTask(request.task, unit.task);
  const model = new SequenceModel(acousticModelOptions(unit.model, inputSize, hiddenSize, seed));
  try {
    const params = model.countParams();
    const weightBytes = Object.values(model.parameters()).reduce((sum, v) => sum + v.size * 4, 0);
    const predict = predictor(model);
    const evalAt = new Set(curveSteps(budget.steps, budget.curvePoints));
    const curve = { step: [] as number[], trainLoss: [] as number[], evalStep: [] as number[], evalMetric: [] as number[] };
    const logEvery = Math.max(1, Math.floor(budget.steps / 50));
    let trainMs = 0;
    await trainCtc(model, transcripts(seed), {
      steps: budget.steps,
      learningRate: budget.learningRate,
      clipNorm: 1,
      onStep: async (step, loss, ms) => {
        trainMs += ms;
        if (step % logEvery === 0 || step === budget.steps) {
          curve.step.push(step);
          curve.trainLoss.push(loss);
        }
        request.onSteps(1);
        if (evalAt.has(step)) {
          const score = await task.evaluate(predict, { subset: true });
          curve.evalStep.push(step);
          curve.evalMetric.push(score.metric);
        }
      },
    });
    const score = await task.evaluate(predict, { subset: false });
    const result: SeedTraining = { seed, metric: score.metric, extraMetrics: score.extras, trainMs, curve: curve satisfies Curve };
    return { result, params, weightBytes };
  } finally {
    model.dispose();
  }
}

/**
 * The speed phase of one seed of one speech-ctc unit, run alone: {@link SPEED_STEPS} CTC training steps (median
 * after the warm-up ones), inference latency and throughput in tfjs and onnxruntime, peak step memory and RSS.
 */
export async function measureCtcSpeed(request: SpeedRunRequest, inputSize: number, transcripts: (seed: number) => Dataset<TranscriptBatch>): Promise<SeedSpeed> {
  const { unit, hiddenSize, budget, seed } = request;
  // Called as the speech-ctc task's own runSeed / runSpeed: the task is a recurrent one.
  const task = recurrentTask(request.task, unit.task);
  const options = acousticModelOptions(unit.model, inputSize, hiddenSize, seed);
  const model = new SequenceModel(options);
  try {
    const stepMs: number[] = [];
    await trainCtc(model, transcripts(seed), {
      steps: Math.min(budget.steps, SPEED_STEPS.warmup + SPEED_STEPS.timed),
      learningRate: budget.learningRate,
      clipNorm: 1,
      onStep: async (_step, _loss, ms) => {
        stepMs.push(ms);
      },
    });
    return await speedRecord(model, task, stepMs, () => stepMemory(options, transcripts, budget.learningRate));
  } finally {
    model.dispose();
  }
}
