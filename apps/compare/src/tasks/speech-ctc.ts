import * as tf from '@tensorflow/tfjs-core';
import { errorRates } from '@gated/ctc';
import { type ConnectedDigits, type TranscribedFeatures, type TranscriptBatch, batchTranscripts, loadConnectedDigits } from '@gated/datasets-speech';
import { ArgumentError, type Batch, type Dataset } from '@gated/tensor';
import { at } from '../lookup.js';
import type { Budget } from '../results.js';
import { DIGIT_CLASSES, decodeBatch } from './ctc-training.js';
import { measureCtcSpeed, trainCtcSeed } from './speech-ctc-seed.js';
import { EVAL_SAMPLE_SEED, randomSample, sampleRng } from './eval-sample.js';
import { trainStream } from './train-stream.js';
import type { PreparedTask, Predict, RecurrentTask, TaskDefinition, TaskScore } from './task.js';

/** Utterances of the validation voices scored for learning curves. */
const CURVE_UTTERANCES = 64;

/** The connected-digit corpus as the task uses it: Kaldi MFCC + Δ + ΔΔ at a 20 ms shift, global CMVN. */
export function loadCtcCorpus(): Promise<ConnectedDigits> {
  return loadConnectedDigits({ features: 'mfcc', deltas: true, cmvn: 'global' });
}

/** Utterances per length bucket, in batches: each 8 batches' worth of shuffled utterances is sorted by length. */
const BUCKET_BATCHES = 8;

/** Shuffled training batches of similar-length utterances (half the padding of random batches). */
export function trainingBatches(items: readonly TranscribedFeatures[], batchSize: number, seed: number): Dataset<TranscriptBatch> {
  return batchTranscripts(items.length, (i) => at(items, i, 'items'), { batchSize, shuffle: true, seed, bucketSize: BUCKET_BATCHES });
}

/** Digit error rate and sentence accuracy, greedy and beam, of a model on some utterances. */
export async function scoreTranscripts(predict: Predict, items: readonly TranscribedFeatures[], batchSize: number): Promise<TaskScore> {
  const refs: (readonly number[])[] = [];
  const greedy: number[][] = [];
  const beam: number[][] = [];
  for await (const batch of batchTranscripts(items.length, (i) => at(items, i, 'items'), { batchSize })) {
    try {
      const decoded = decodeBatch(predict, batch.x, batch.lengths);
      refs.push(...batch.tokens);
      greedy.push(...decoded.greedy);
      beam.push(...decoded.beam);
    } finally {
      tf.dispose([batch.x, batch.y, batch.lengths, batch.targetLengths]);
    }
  }
  const g = errorRates(refs, greedy);
  const b = errorRates(refs, beam);
  return { metric: g.tokenErrorRate, extras: { derBeam: b.tokenErrorRate, sentenceAccuracy: g.sentenceAccuracy, sentenceAccuracyBeam: b.sentenceAccuracy } };
}

/** The shuffle seed of one epoch of one seed's training stream. */
function epochSeed(seed: number, epoch: number): number {
  return seed * 1_000_003 + epoch;
}

async function prepare(budget: Budget): Promise<PreparedTask> {
  const corpus = await loadCtcCorpus();
  const { train, validation, test } = corpus.splits;
  const transcripts = (seed: number): Dataset<TranscriptBatch> => trainingBatches(train, budget.batchSize, seed);
  // Seeded random samples (never the first N: utterances are grouped by voice), the same for every model and seed.
  const finalIdx = randomSample(test.length, budget.maxEvalExamples > 0 ? budget.maxEvalExamples : test.length, sampleRng('speech-ctc/final'));
  const curveIdx = randomSample(validation.length, CURVE_UTTERANCES, sampleRng('speech-ctc/curve'));
  const evalItems = finalIdx.map((i) => at(test, i, 'test utterances'));
  const curveItems = curveIdx.map((i) => at(validation, i, 'validation utterances'));
  let sample: TranscriptBatch | undefined;
  for await (const batch of batchTranscripts(test.length, (i) => at(test, i, 'test utterances'), { batchSize: 64 })) {
    if (sample === undefined) sample = batch;
    else tf.dispose([batch.x, batch.y, batch.lengths, batch.targetLengths]);
  }
  if (sample === undefined) throw new ArgumentError('test utterances', 'at least one', 'none');
  const first = sample;
  const [batchRows, seqLen] = first.x.shape;
  if (batchRows === undefined || seqLen === undefined) throw new ArgumentError('test batch x', 'a [B, T, F] tensor', `shape [${first.x.shape.join(', ')}]`);
  const task: RecurrentTask = {
    kind: 'recurrent',
    model: { input: { kind: 'features', inputSize: corpus.featureDim }, outputSize: DIGIT_CLASSES.length, pooling: 'none', bidirectional: true },
    // Unused: the task trains its models itself with CTC (runSeed); the frame outputs are softmax logits.
    loss: 'crossEntropy',
    stepsPerEpoch: Math.ceil(train.length / budget.batchSize),
    seqLen,
    // Epoch e of the stream is a fresh shuffle seeded by (seed, e), so a resumed run sees the straight run's batches.
    trainData: (seed: number) => trainStream(Math.ceil(train.length / budget.batchSize), (epoch) => transcripts(epochSeed(seed, epoch)) as Dataset<Batch>),
    evaluation: {
      final: { split: 'test', examples: evalItems.length, unit: 'utterances', of: test.length, sampling: evalItems.length < test.length ? 'random' : 'all', seed: evalItems.length < test.length ? EVAL_SAMPLE_SEED : null },
      curve: { split: 'validation', examples: curveItems.length, unit: 'utterances', of: validation.length, sampling: curveItems.length < validation.length ? 'random' : 'all', seed: curveItems.length < validation.length ? EVAL_SAMPLE_SEED : null },
    },
    evaluate: (predict, { subset }) => scoreTranscripts(predict, subset ? curveItems : evalItems, 32),
    sampleInput(n) {
      const idx = tf.tensor1d(Array.from({ length: n }, (_, i) => i % batchRows), 'int32');
      const x = tf.gather(first.x, idx);
      const lengths = tf.gather(first.lengths, idx) as tf.Tensor1D;
      idx.dispose();
      return { x, lengths };
    },
    runSeed: (request) => trainCtcSeed(request, corpus.featureDim, transcripts),
    runSpeed: (request) => measureCtcSpeed(request, corpus.featureDim, transcripts),
    dispose() {
      tf.dispose([first.x, first.y, first.lengths, first.targetLengths]);
    },
  };
  return task;
}

/**
 * Connected digits with CTC: bidirectional acoustic models over Kaldi MFCC frames, trained with the CTC loss of
 * @gated/ctc, scored by digit error rate (edit distance / reference digits) on voices never heard in training,
 * greedy decoding as the headline and prefix beam search (width 8) beside it.
 */
export const speechCtc: TaskDefinition = {
  id: 'speech-ctc',
  title: 'Connected digits (CTC)',
  data:
    'the embedded connected-digit corpus of @gated/datasets-speech (1,000 utterances of 1–7 digits, 8 kHz, 50 voices, voice-disjoint splits), ' +
    'Kaldi MFCC + Δ + ΔΔ at a 20 ms shift (39 features), global CMVN from training voices; bidirectional models, CTC over 10 digits + blank',
  metric: { name: 'digit error rate', higherIsBetter: false },
  requires: '@gated/datasets-speech',
  budgets: {
    quick: { hiddenSize: 16, steps: 10, batchSize: 8, learningRate: 0.005, maxEvalExamples: 32, curvePoints: 2 },
    default: { hiddenSize: 32, steps: 300, batchSize: 16, learningRate: 0.005, maxEvalExamples: 0, curvePoints: 4 },
  },
  prepare,
};
