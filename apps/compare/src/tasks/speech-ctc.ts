import * as tf from '@tensorflow/tfjs-core';
import { errorRates } from '@gated/ctc';
import { type ConnectedDigits, type TranscribedFeatures, type TranscriptBatch, batchTranscripts, loadConnectedDigits } from '@gated/datasets-speech';
import type { Batch, Dataset } from '@gated/tensor';
import type { Budget } from '../results.js';
import { DIGIT_CLASSES, decodeBatch } from './ctc-training.js';
import { measureCtcSeed } from './speech-ctc-seed.js';
import type { PreparedTask, Predict, TaskDefinition, TaskScore } from './task.js';

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
  return batchTranscripts(items.length, (i) => items[i]!, { batchSize, shuffle: true, seed, bucketSize: BUCKET_BATCHES });
}

/** Digit error rate and sentence accuracy, greedy and beam, of a model on some utterances. */
export async function scoreTranscripts(predict: Predict, items: readonly TranscribedFeatures[], batchSize: number): Promise<TaskScore> {
  const refs: (readonly number[])[] = [];
  const greedy: number[][] = [];
  const beam: number[][] = [];
  for await (const batch of batchTranscripts(items.length, (i) => items[i]!, { batchSize })) {
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

async function prepare(budget: Budget): Promise<PreparedTask> {
  const corpus = await loadCtcCorpus();
  const { train, validation, test } = corpus.splits;
  const transcripts = (seed: number): Dataset<TranscriptBatch> => trainingBatches(train, budget.batchSize, seed);
  const evalItems = budget.maxEvalExamples > 0 ? test.slice(0, budget.maxEvalExamples) : test;
  let sample: TranscriptBatch | undefined;
  for await (const batch of batchTranscripts(test.length, (i) => test[i]!, { batchSize: 64 })) {
    if (sample === undefined) sample = batch;
    else tf.dispose([batch.x, batch.y, batch.lengths, batch.targetLengths]);
  }
  const first = sample!;
  const task: PreparedTask = {
    model: { input: { kind: 'features', inputSize: corpus.featureDim }, outputSize: DIGIT_CLASSES.length, pooling: 'none', bidirectional: true },
    // Unused: the task trains its models itself with CTC (runSeed); the frame outputs are softmax logits.
    loss: 'crossEntropy',
    stepsPerEpoch: Math.ceil(train.length / budget.batchSize),
    seqLen: first.x.shape[1]!,
    trainData: (seed: number): Dataset<Batch> => transcripts(seed),
    evaluate: (predict, { subset }) => scoreTranscripts(predict, subset ? validation.slice(0, CURVE_UTTERANCES) : evalItems, 32),
    sampleInput(n) {
      const idx = tf.tensor1d(Array.from({ length: n }, (_, i) => i % first.x.shape[0]!), 'int32');
      const x = tf.gather(first.x, idx);
      const lengths = tf.gather(first.lengths, idx) as tf.Tensor1D;
      idx.dispose();
      return { x, lengths };
    },
    runSeed: (request) => measureCtcSeed(request, corpus.featureDim, transcripts),
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
