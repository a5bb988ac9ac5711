import * as tf from '@tensorflow/tfjs-core';
import { SequenceModel, type SequenceModelOptions } from '@gated/cells';
import { OnnxInference, exportOnnx } from '@gated/onnx';
import { type Batch, type Dataset, profile } from '@gated/tensor';
import { fit } from '@gated/trainer';
import { BestCheckpoint, assertValidationCurve } from './best-checkpoint.js';
import { initForgetBias } from './forget-bias.js';
import { scheduleOptions } from './budget-schedule.js';
import { measureGates } from './gate-stats.js';
import { modelGradientFlow } from './gradient-flow.js';
import type { Curve, RuntimePair, SeedTraining } from './results.js';
import type { SeedRunOutcome, SeedRunRequest } from './run-compare.js';
import type { ModelKind } from './sizing.js';
import type { PreparedTask, Predict, RecurrentTask } from './tasks/task.js';

/** How long each timing runs: warm-up calls, then timed ones (median reported). */
export const TIMING = { latencyWarmup: 3, latencyRepeats: 15, throughputBatch: 64, throughputWarmup: 1, throughputRepeats: 3 } as const;

/** The SequenceModel options of a task's model. */
export function modelOptions(kind: ModelKind, task: Pick<PreparedTask, 'model'>, hiddenSize: number, seed: number): SequenceModelOptions {
  const spec = task.model;
  const input = spec.input.kind === 'tokens' ? { vocabSize: spec.input.vocabSize, embeddingDim: spec.input.embeddingDim } : { inputSize: spec.input.inputSize };
  return { kind, ...input, hiddenSize, outputSize: spec.outputSize, pooling: spec.pooling, seed };
}

/** A forward pass of a model as the tasks' `Predict` (inference mode). */
export function predictor(model: SequenceModel): Predict {
  return (x, lengths) => tf.tidy(() => model.forward(x, { training: false, ...(lengths ? { lengths } : {}) }).output);
}

/** Median of a list of durations. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  // The middle value, or the mean of the two middle ones (NaN for no values).
  const [lower = Number.NaN, upper = Number.NaN] = s.slice(s.length % 2 === 1 ? mid : mid - 1, mid + 1);
  return s.length % 2 === 1 ? lower : (lower + upper) / 2;
}

async function timeTfjs(model: SequenceModel, input: { x: tf.Tensor; lengths?: tf.Tensor1D }, warmup: number, repeats: number): Promise<number> {
  const predict = predictor(model);
  const times: number[] = [];
  for (let i = 0; i < warmup + repeats; i++) {
    const start = performance.now();
    const out = predict(input.x, input.lengths);
    await out.data();
    out.dispose();
    if (i >= warmup) times.push(performance.now() - start);
  }
  return median(times);
}

/** Batch-1 latency (ms) and batch-64 throughput (sequences/s) of a model in tfjs and in onnxruntime-node. */
export async function measureInference(model: SequenceModel, task: RecurrentTask): Promise<{ latency: RuntimePair; throughput: RuntimePair }> {
  const one = task.sampleInput(1);
  const many = task.sampleInput(TIMING.throughputBatch);
  try {
    const tfLatency = await timeTfjs(model, one, TIMING.latencyWarmup, TIMING.latencyRepeats);
    const tfBatch = await timeTfjs(model, many, TIMING.throughputWarmup, TIMING.throughputRepeats);
    let ortLatency: number | null = null;
    let ortThroughput: number | null = null;
    const session = await OnnxInference.create(exportOnnx(model, { lengths: one.lengths !== undefined }));
    try {
      const runOptions = (input: { lengths?: tf.Tensor1D }) => (input.lengths ? { lengths: input.lengths } : {});
      ortLatency = (await session.time(one.x, runOptions(one), { warmup: TIMING.latencyWarmup, repeats: TIMING.latencyRepeats })).medianMs;
      const batch = (await session.time(many.x, runOptions(many), { warmup: TIMING.throughputWarmup, repeats: TIMING.throughputRepeats })).medianMs;
      ortThroughput = (TIMING.throughputBatch * 1000) / batch;
    } finally {
      await session.release();
    }
    return {
      latency: { tfjs: tfLatency, onnxruntime: ortLatency },
      throughput: { tfjs: (TIMING.throughputBatch * 1000) / tfBatch, onnxruntime: ortThroughput },
    };
  } finally {
    tf.dispose([one.x, one.lengths, many.x, many.lengths].filter((t): t is tf.Tensor => t !== undefined));
  }
}

async function firstBatch(data: Dataset<Batch>): Promise<Batch> {
  for await (const batch of data) return batch;
  throw new Error('the training data yielded no batch');
}

/**
 * Peak tensor memory of one training step (forward, backward, Adam update) of a fresh model of the same
 * configuration, on the task's first seed-0 training batch (the same for every model and seed): the tfjs profiler's peak minus the bytes that were in use before and do not belong to the
 * model, so weights, optimizer state, activations and gradients count and the task's cached data does not.
 */
export async function measureStepMemory(options: SequenceModelOptions, task: RecurrentTask, learningRate: number): Promise<number> {
  const model = new SequenceModel(options);
  try {
    // The same batch for every model and seed (seed-0 order), so memory differences come from the model alone.
    const batch = await firstBatch(task.trainData(0));
    const weights = Object.values(model.parameters()).reduce((sum, v) => sum + v.size * 4, 0);
    const batchBytes = [batch.x, batch.y, batch.lengths, batch.mask].reduce((s, t) => s + (t ? t.size * 4 : 0), 0);
    const before = tf.memory().numBytes;
    const one: Dataset<Batch> = { size: 1, async *[Symbol.asyncIterator]() { yield batch; } };
    const { peakBytes } = await profile(() => fit(model, one, { steps: 1, loss: task.loss, learningRate, progress: 'none' }));
    return peakBytes - (before - weights - batchBytes);
  } finally {
    model.dispose();
  }
}

/** Steps at which the learning curve's held-out metric is evaluated: evenly spaced, always including the last. */
export function curveSteps(steps: number, points: number): number[] {
  if (points <= 0) return [];
  const out = new Set<number>();
  for (let i = 1; i <= points; i++) out.add(Math.max(1, Math.round((steps * i) / points)));
  return [...out].sort((a, b) => a - b);
}

/**
 * The training phase of one seed of one unit: trains the model for the budget's steps with Adam (and the
 * budget's learning-rate schedule) and measures
 * what does not depend on the machine being quiet — parameters, the test metric, the learning curve, the
 * gradient-flow probe — plus the training wall time. Speed and memory come from the speed phase
 * ({@link measureSeedSpeed}), which runs alone, so this can run in parallel worker processes.
 */
export async function trainSeed(request: SeedRunRequest): Promise<SeedRunOutcome> {
  const { task } = request;
  switch (task.kind) {
    case 'encoder-decoder':
      return task.runSeed(request);
    case 'recurrent':
      return task.runSeed ? task.runSeed(request) : fitSeed(task, request);
  }
}

/** The training phase of a recurrent task's seed through `fit` (see {@link trainSeed}). */
async function fitSeed(task: RecurrentTask, request: SeedRunRequest): Promise<SeedRunOutcome> {
  const { unit, hiddenSize, budget, seed } = request;
  const keepBest = budget.bestCheckpoint === 'validation';
  if (keepBest) assertValidationCurve(`${unit.task} budget bestCheckpoint`, task);
  const model = new SequenceModel(modelOptions(unit.model, task, hiddenSize, seed));
  const best = keepBest ? new BestCheckpoint(model, request.definition.metric.higherIsBetter) : undefined;
  if (budget.forgetBias !== undefined) initForgetBias(model, budget.forgetBias);
  const probe = request.probeGradientFlow && task.probeBatch ? task.probeBatch(64) : undefined;
  try {
    const params = model.countParams();
    const weightBytes = Object.values(model.parameters()).reduce((sum, v) => sum + v.size * 4, 0);
    const predict = predictor(model);
    const initialFlow = probe ? modelGradientFlow(model, probe.x, probe.y) : undefined;
    const evalAt = new Set(curveSteps(budget.steps, budget.curvePoints));
    const curve = { step: [] as number[], trainLoss: [] as number[], evalStep: [] as number[], evalMetric: [] as number[], evalTrainMs: [] as number[] };
    const logEvery = Math.max(1, Math.floor(budget.steps / 50));
    const start = performance.now();
    let evalMs = 0;
    await fit(model, task.trainData(seed), {
      steps: budget.steps,
      loss: task.loss,
      learningRate: budget.learningRate,
      ...scheduleOptions(budget),
      clipNorm: 1,
      progress: 'none',
      callbacks: {
        onBatchEnd: async (logs) => {
          if (logs.step % logEvery === 0 || logs.step === budget.steps) {
            curve.step.push(logs.step);
            curve.trainLoss.push(logs.loss);
          }
          request.onSteps(1);
          if (evalAt.has(logs.step)) {
            const e0 = performance.now();
            curve.evalTrainMs.push(e0 - start - evalMs);
            const score = await task.evaluate(predict, { subset: true });
            curve.evalStep.push(logs.step);
            curve.evalMetric.push(score.metric);
            best?.offer(score.metric, logs.step);
            evalMs += performance.now() - e0;
          }
        },
      },
    });
    const trainMs = performance.now() - start - evalMs;
    best?.restore();
    const score = await task.evaluate(predict, { subset: false });
    const result: SeedTraining = {
      seed,
      metric: score.metric,
      extraMetrics: score.extras,
      trainMs,
      curve: curve satisfies Curve,
      ...(best?.step !== undefined ? { bestStep: best.step } : {}),
    };
    const gateStats = request.recordGates && unit.model !== 'rnn' ? measureGates(model, task, { task: unit.task, model: unit.model, seed }) : undefined;
    const flow =
      probe && initialFlow
        ? { task: unit.task, model: unit.model, seed, seqLen: task.seqLen, initial: initialFlow, trained: modelGradientFlow(model, probe.x, probe.y) }
        : undefined;
    return { result, params, weightBytes, ...(flow ? { gradientFlow: flow } : {}), ...(gateStats ? { gateStats } : {}) };
  } finally {
    if (probe) tf.dispose([probe.x, probe.y]);
    best?.dispose();
    model.dispose();
  }
}
