import * as tf from '@tensorflow/tfjs-core';
import { type SpokenDigits, loadSpokenDigits } from '@gated/datasets-speech';
import type { Batch, Dataset } from '@gated/tensor';
import type { Budget } from '../results.js';
import { argmaxOf, classificationScores } from './scoring.js';
import type { PreparedTask, Predict, TaskDefinition } from './task.js';

async function score(predict: Predict, data: Dataset<Batch>, limit: number): Promise<number> {
  const predicted: number[] = [];
  const actual: number[] = [];
  for await (const batch of data) {
    if (limit > 0 && actual.length >= limit) {
      tf.dispose([batch.x, batch.y, batch.lengths].filter((t): t is tf.Tensor => t !== undefined));
      continue;
    }
    const logits = predict(batch.x, batch.lengths);
    predicted.push(...argmaxOf(logits));
    actual.push(...(await batch.y.data()));
    tf.dispose([batch.x, batch.y, batch.lengths, logits].filter((t): t is tf.Tensor => t !== undefined));
  }
  return classificationScores(predicted, actual).accuracy;
}

async function prepare(budget: Budget): Promise<PreparedTask> {
  const load = (seed: number): Promise<SpokenDigits> => loadSpokenDigits({ features: 'mfcc', deltas: true, cmvn: 'global', batchSize: budget.batchSize, seed });
  const base = await load(0);
  const stepsPerEpoch = Math.ceil(base.counts.train / budget.batchSize);
  let sample: Batch | undefined;
  for await (const batch of base.test) {
    sample ??= batch;
    if (batch !== sample) tf.dispose([batch.x, batch.y, batch.lengths].filter((t): t is tf.Tensor => t !== undefined));
  }
  const first = sample!;
  const seqLen = first.x.shape[1]!;
  return {
    model: { input: { kind: 'features', inputSize: base.featureDim }, outputSize: base.labels.length, pooling: 'last' },
    loss: 'crossEntropy',
    stepsPerEpoch,
    seqLen,
    trainData(seed: number): Dataset<Batch> {
      let train: Promise<Dataset<Batch>> | undefined;
      return {
        size: stepsPerEpoch,
        // A fresh dataset per call (reused across its epochs): its epoch counter starts at 0, so every model sees seed s's batch order
        // (features are recomputed, ~0.5 s; the decoded audio is cached by the package).
        async *[Symbol.asyncIterator]() {
          train ??= load(seed).then((d) => d.train);
          yield* await train;
        },
      };
    },
    async evaluate(predict, { subset }) {
      // Learning curves use the validation voices; the reported score is on the unheard test voices.
      const accuracy = subset ? await score(predict, base.validation, 128) : await score(predict, base.test, budget.maxEvalExamples);
      return { metric: accuracy, extras: {} };
    },
    sampleInput(n) {
      const rows = Array.from({ length: n }, (_, i) => i % first.x.shape[0]!);
      const idx = tf.tensor1d(rows, 'int32');
      const x = tf.gather(first.x, idx);
      const lengths = first.lengths ? (tf.gather(first.lengths, idx) as tf.Tensor1D) : undefined;
      idx.dispose();
      return lengths ? { x, lengths } : { x };
    },
    dispose() {
      tf.dispose([first.x, first.y, first.lengths].filter((t): t is tf.Tensor => t !== undefined));
    },
  };
}

/** Spoken digits (the embedded set), MFCC + Δ + ΔΔ: accuracy on voices never heard in training. */
export const speechDigits: TaskDefinition = {
  id: 'speech-digits',
  title: 'Spoken digits',
  data: 'the embedded spoken-digit set of @gated/datasets-speech (1,500 clips, 8 kHz, 50 voices), Kaldi MFCC + Δ + ΔΔ (39 features), global CMVN from training voices, voice-disjoint splits',
  metric: { name: 'accuracy', higherIsBetter: true },
  requires: '@gated/datasets-speech',
  budgets: {
    quick: { hiddenSize: 16, steps: 10, batchSize: 16, learningRate: 0.01, maxEvalExamples: 64, curvePoints: 2 },
    default: { hiddenSize: 64, steps: 300, batchSize: 32, learningRate: 0.005, maxEvalExamples: 0, curvePoints: 5 },
  },
  prepare,
};
