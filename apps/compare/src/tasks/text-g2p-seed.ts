import * as tf from '@tensorflow/tfjs-core';
import type { G2PVocabulary, PronunciationEntry } from '@gated/datasets-text';
import { OnnxEncoderDecoder } from '@gated/onnx';
import { Seq2Seq, exportSeq2SeqOnnx, greedyDecode } from '@gated/seq2seq';
import { ArgumentError, profile } from '@gated/tensor';
import type { TaskId } from '../grid.js';
import { at as entryAt } from '../lookup.js';
import { TIMING, curveSteps, median } from '../measure-seed.js';
import { SPEED_STEPS, type SpeedRunRequest } from '../measure-speed.js';
import type { AttentionMapRecord, Budget, Curve, SeedSpeed, SeedTraining } from '../results.js';
import type { SeedRunOutcome, SeedRunRequest } from '../run-compare.js';
import type { ModelKind } from '../sizing.js';
import { type G2PBudget, type G2PData, evaluateG2P, g2pModelOptions, trainG2P } from './text-g2p.js';

/** What a text-g2p task's seeds share: the data, whether the decoder attends, and the words each score uses. */
export interface G2PSeedContext {
  readonly task: TaskId;
  readonly data: G2PData;
  readonly attention: boolean;
  /** The test words of the reported score. */
  readonly evalEntries: readonly PronunciationEntry[];
  /** The validation words of the learning curves. */
  readonly curveEntries: readonly PronunciationEntry[];
  /** Test words whose attention maps the first seed records (models with attention). */
  readonly mapEntries: readonly PronunciationEntry[];
}

/** The encoder–decoder cell of a grid model: LSTM or GRU (@gated/seq2seq has no plain-RNN decoder). */
export function seq2seqKind(model: ModelKind): 'lstm' | 'gru' {
  if (model === 'rnn') throw new ArgumentError('model', "'lstm' or 'gru' (encoder–decoders have no plain-RNN cell)", model);
  return model;
}

/**
 * The encoder–decoder shape of a grid budget at a hidden size: one layer, embeddings of half the hidden size, no
 * input feeding (see {@link G2PBudget.inputFeeding}).
 */
export function g2pShape(hiddenSize: number): Pick<G2PBudget, 'hiddenSize' | 'embeddingDim' | 'numLayers' | 'inputFeeding'> {
  return { hiddenSize, embeddingDim: Math.max(8, Math.round(hiddenSize / 2)), numLayers: 1, inputFeeding: false };
}

function newModel(request: Pick<SeedRunRequest, 'unit' | 'hiddenSize' | 'seed'>, ctx: G2PSeedContext): Seq2Seq {
  return new Seq2Seq(g2pModelOptions(seq2seqKind(request.unit.model), ctx.attention, g2pShape(request.hiddenSize), ctx.data.vocabulary, request.seed));
}

/**
 * The attention of `model` while it spells each entry greedily: one row per emitted phoneme (and `</s>` when the
 * decoder ended the word) over the word's letters.
 */
export function attentionMaps(
  model: Seq2Seq,
  vocabulary: G2PVocabulary,
  entries: readonly PronunciationEntry[],
  at: Pick<AttentionMapRecord, 'task' | 'model' | 'seed'>,
): AttentionMapRecord[] {
  if (entries.length === 0) return [];
  const sources = entries.map((e) => vocabulary.encodeWord(e.word));
  const hyps = greedyDecode(model, sources, { maxLength: Math.max(...sources.map((s) => s.length)) + 8 });
  return entries.map((entry, i) => {
    const hyp = entryAt(hyps, i, 'greedy hypotheses');
    const phonemes = [...vocabulary.decodePhonemes(hyp.tokens), ...(hyp.finished ? ['</s>'] : [])];
    return {
      ...at,
      word: entry.word,
      graphemes: [...entry.word.toLowerCase()],
      phonemes,
      reference: entry.pronunciations[0] ?? [],
      weights: hyp.attention.slice(0, phonemes.length).map((row) => row.map((w) => Math.round(w * 1e4) / 1e4)),
    };
  });
}

/**
 * The training phase of one seed of a text-g2p unit: teacher-forced training for the budget's steps, greedy PER
 * on validation words at the curve points, then PER (the metric) and WER on the test words; the first seed of a
 * model with attention also records its attention maps. Speed comes from {@link measureG2PSpeed}, run alone.
 */
export async function trainG2PSeed(request: SeedRunRequest, ctx: G2PSeedContext): Promise<SeedRunOutcome> {
  const { unit, budget, seed } = request;
  const model = newModel(request, ctx);
  try {
    const params = model.countParams();
    const weightBytes = Object.values(model.parameters()).reduce((sum, v) => sum + v.size * 4, 0);
    const evalAt = new Set(curveSteps(budget.steps, budget.curvePoints));
    const curve = { step: [] as number[], trainLoss: [] as number[], evalStep: [] as number[], evalMetric: [] as number[], evalTrainMs: [] as number[] };
    const logEvery = Math.max(1, Math.floor(budget.steps / 50));
    let trainMs = 0;
    await trainG2P(model, ctx.data, budget, seed, (step, loss, ms) => {
      trainMs += ms;
      if (step % logEvery === 0 || step === budget.steps) {
        curve.step.push(step);
        curve.trainLoss.push(loss);
      }
      request.onSteps(1);
      if (evalAt.has(step)) {
        curve.evalTrainMs.push(trainMs);
        curve.evalStep.push(step);
        curve.evalMetric.push(evaluateG2P(model, ctx.data.vocabulary, ctx.curveEntries, 1).per);
      }
    });
    const score = evaluateG2P(model, ctx.data.vocabulary, ctx.evalEntries, 1);
    const result: SeedTraining = { seed, metric: score.per, extraMetrics: { wer: score.wer }, trainMs, curve: curve satisfies Curve };
    const maps = ctx.attention && request.recordGates ? attentionMaps(model, ctx.data.vocabulary, ctx.mapEntries, { task: unit.task, model: unit.model, seed }) : [];
    return { result, params, weightBytes, ...(maps.length > 0 ? { attentionMaps: maps } : {}) };
  } finally {
    model.dispose();
  }
}

async function timeMs(run: () => Promise<unknown> | unknown, warmup: number, repeats: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < warmup + repeats; i++) {
    const start = performance.now();
    await run();
    if (i >= warmup) times.push(performance.now() - start);
  }
  return median(times);
}

/** Peak tensor memory of one training step of a fresh model (weights, Adam state, activations, gradients). */
async function stepMemory(request: SpeedRunRequest, ctx: G2PSeedContext, budget: Budget): Promise<number> {
  const model = newModel(request, ctx);
  try {
    const weights = Object.values(model.parameters()).reduce((sum, v) => sum + v.size * 4, 0);
    const before = tf.memory().numBytes;
    const { peakBytes } = await profile(() => trainG2P(model, ctx.data, { ...budget, steps: 1 }, 0));
    // The profiler's peak is absolute: leave out the bytes in use before that are not this model's weights.
    return peakBytes - (before - weights);
  } finally {
    model.dispose();
  }
}

/**
 * The speed phase of one seed of a text-g2p unit, run alone: {@link SPEED_STEPS} training steps (median after
 * the warm-up), then the greedy decoding of one test word (latency, ms) and of 64 (throughput, words/s), in tfjs
 * and through the ONNX encoder + decoder step in onnxruntime, the peak tensor bytes of one step and the RSS.
 */
export async function measureG2PSpeed(request: SpeedRunRequest, ctx: G2PSeedContext): Promise<SeedSpeed> {
  const { budget, seed } = request;
  const model = newModel(request, ctx);
  try {
    const stepMs: number[] = [];
    await trainG2P(model, ctx.data, { ...budget, steps: Math.min(budget.steps, SPEED_STEPS.warmup + SPEED_STEPS.timed) }, seed, (_step, _loss, ms) => {
      stepMs.push(ms);
    });
    const trainStepMs = median(stepMs.slice(Math.min(SPEED_STEPS.warmup, Math.max(0, stepMs.length - 1))));
    const rssBytes = process.memoryUsage().rss;
    const words = Array.from({ length: TIMING.throughputBatch }, (_, i) => entryAt(ctx.evalEntries, i % ctx.evalEntries.length, 'evaluation words'));
    const sources = words.map((e) => ctx.data.vocabulary.encodeWord(e.word));
    const one = sources.slice(0, 1);
    const maxLength = Math.max(...sources.map((s) => s.length)) + 8;
    const tfLatency = await timeMs(() => greedyDecode(model, one, { maxLength }), TIMING.latencyWarmup, TIMING.latencyRepeats);
    const tfBatch = await timeMs(() => greedyDecode(model, sources, { maxLength }), TIMING.throughputWarmup, TIMING.throughputRepeats);
    const files = exportSeq2SeqOnnx(model);
    const session = await OnnxEncoderDecoder.create(files.encoder, files.decoderStep);
    let ortLatency: number;
    let ortBatch: number;
    try {
      ortLatency = await timeMs(() => session.greedy(one, { maxLength }), TIMING.latencyWarmup, TIMING.latencyRepeats);
      ortBatch = await timeMs(() => session.greedy(sources, { maxLength }), TIMING.throughputWarmup, TIMING.throughputRepeats);
    } finally {
      await session.release();
    }
    const stepsPerEpoch = Math.ceil(ctx.data.trainPairs.length / budget.batchSize);
    return {
      trainStepMs,
      epochMs: trainStepMs * stepsPerEpoch,
      inferLatencyMs: { tfjs: tfLatency, onnxruntime: ortLatency },
      throughputPerSec: { tfjs: (TIMING.throughputBatch * 1000) / tfBatch, onnxruntime: (TIMING.throughputBatch * 1000) / ortBatch },
      peakTensorBytes: await stepMemory(request, ctx, budget),
      rssBytes,
    };
  } finally {
    model.dispose();
  }
}
