import * as tf from '@tensorflow/tfjs-core';
import { SequenceModel, type SequenceModelOptions } from '@gated/cells';
import type { TranscriptBatch } from '@gated/datasets-speech';
import { type Dataset, profile } from '@gated/tensor';
import { curveSteps, measureInference, predictor } from '../measure-seed.js';
import type { Curve, SeedResult } from '../results.js';
import type { SeedRunOutcome, SeedRunRequest } from '../run-compare.js';
import { DIGIT_CLASSES, trainCtc } from './ctc-training.js';

/** The acoustic model of the task: a one-layer bidirectional recurrent stack with a per-frame Linear head. */
export function acousticModelOptions(kind: SequenceModelOptions['kind'], inputSize: number, hiddenSize: number, seed: number): SequenceModelOptions {
  return { kind, inputSize, hiddenSize, bidirectional: true, outputSize: DIGIT_CLASSES.length, pooling: 'none', seed };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
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
 * One seed of one speech-ctc unit: trains the bidirectional acoustic model with CTC for the budget's steps and
 * measures it like every other task (step and epoch time, the test metric, inference in tfjs and onnxruntime,
 * peak step memory, learning curve), with digit error rates greedy and beam as metric and extras.
 */
export async function measureCtcSeed(request: SeedRunRequest, inputSize: number, transcripts: (seed: number) => Dataset<TranscriptBatch>): Promise<SeedRunOutcome> {
  const { task, unit, hiddenSize, budget, seed } = request;
  const options = acousticModelOptions(unit.model, inputSize, hiddenSize, seed);
  const model = new SequenceModel(options);
  try {
    const params = model.countParams();
    const weightBytes = Object.values(model.parameters()).reduce((sum, v) => sum + v.size * 4, 0);
    const predict = predictor(model);
    const evalAt = new Set(curveSteps(budget.steps, budget.curvePoints));
    const curve = { step: [] as number[], trainLoss: [] as number[], evalStep: [] as number[], evalMetric: [] as number[] };
    const stepMs: number[] = [];
    const logEvery = Math.max(1, Math.floor(budget.steps / 50));
    await trainCtc(model, transcripts(seed), {
      steps: budget.steps,
      learningRate: budget.learningRate,
      clipNorm: 1,
      onStep: async (step, loss, ms) => {
        stepMs.push(ms);
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
    const trainMs = stepMs.reduce((a, b) => a + b, 0);
    // The first steps include kernel compilation and allocation warm-up.
    const trainStepMs = median(stepMs.slice(Math.min(3, Math.max(0, stepMs.length - 1))));
    const score = await task.evaluate(predict, { subset: false });
    const rssBytes = process.memoryUsage().rss;
    const inference = await measureInference(model, task);
    const peakTensorBytes = await stepMemory(options, transcripts, budget.learningRate);
    const result: SeedResult = {
      seed,
      metric: score.metric,
      extraMetrics: score.extras,
      trainStepMs,
      epochMs: trainStepMs * task.stepsPerEpoch,
      trainMs,
      inferLatencyMs: inference.latency,
      throughputPerSec: inference.throughput,
      peakTensorBytes,
      rssBytes,
      curve: curve satisfies Curve,
    };
    return { result, params, weightBytes };
  } finally {
    model.dispose();
  }
}
