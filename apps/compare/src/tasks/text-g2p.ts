import * as tf from '@tensorflow/tfjs-core';
import { G2PVocabulary, type PronunciationEntry, g2pErrorRates, loadCmudict, splitByWord } from '@gated/datasets-text';
import { type Seq2Seq, type Seq2SeqOptions, beamSearch, greedyDecode } from '@gated/seq2seq';
import { ArgumentError, Rng } from '@gated/tensor';
import { Adam, clipCoefficient, globalNormValue } from '@gated/trainer';
import { at } from '../lookup.js';
import { scheduleOptions } from '../budget-schedule.js';
import type { BudgetSchedule } from '../results.js';

/**
 * Grapheme-to-phoneme conversion on CMUdict (stress stripped, 39 phonemes) with encoder–decoders: the data, the
 * model options, the training loop and the scoring that the `text-g2p` / `text-g2p-plain` tasks of the grid,
 * the paper suite and `gated g2p --train` share.
 */

/** How much one run trains and evaluates. */
export interface G2PBudget {
  readonly hiddenSize: number;
  readonly embeddingDim: number;
  readonly numLayers: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Test words decoded (0 = the whole test split). */
  readonly maxEvalWords: number;
  /** Beam width of the evaluation (1 = greedy). */
  readonly beamWidth: number;
  /**
   * Feed h̃_{t−1} into the decoder's next input (Luong et al. 2015), with attention. Off in the quick and default
   * budgets: at the default budget it changed neither PER nor WER beyond the spread of seeds, and without it the
   * decoder's recurrence trains as one fused sequence (see {@link g2pModelOptions}); on in the paper budget.
   */
  readonly inputFeeding: boolean;
}

/**
 * Budgets of `gated g2p --train`. quick: smoke runs; default: minutes per model on a shared CPU; paper: the
 * paper suite's model and steps (hours).
 */
export const G2P_BUDGETS: Readonly<Record<'quick' | 'default' | 'paper', G2PBudget>> = {
  quick: { hiddenSize: 32, embeddingDim: 16, numLayers: 1, steps: 30, batchSize: 32, learningRate: 0.005, maxEvalWords: 100, beamWidth: 1, inputFeeding: false },
  default: { hiddenSize: 64, embeddingDim: 32, numLayers: 1, steps: 800, batchSize: 32, learningRate: 0.005, maxEvalWords: 500, beamWidth: 1, inputFeeding: false },
  paper: { hiddenSize: 256, embeddingDim: 128, numLayers: 2, steps: 40000, batchSize: 128, learningRate: 0.001, maxEvalWords: 0, beamWidth: 5, inputFeeding: true },
};

/** CMUdict split by word (seed 0: 85% train, 5% validation, 10% test) with the id mapping. */
export interface G2PData {
  readonly vocabulary: G2PVocabulary;
  /** Every (word, pronunciation) pair of the training words: a word with two pronunciations gives two pairs. */
  readonly trainPairs: readonly { readonly source: readonly number[]; readonly target: readonly number[] }[];
  readonly validation: readonly PronunciationEntry[];
  readonly test: readonly PronunciationEntry[];
  readonly words: number;
}

let loaded: Promise<G2PData> | undefined;

/** Loads CMUdict and makes the split every model and seed shares (once per process: the data is never changed). */
export function loadG2PData(): Promise<G2PData> {
  loaded ??= readG2PData();
  return loaded;
}

async function readG2PData(): Promise<G2PData> {
  const vocabulary = new G2PVocabulary();
  const entries = await loadCmudict();
  const split = splitByWord(entries, { seed: 0 });
  const trainPairs = split.train.flatMap((e) => e.pronunciations.map((p) => ({ source: vocabulary.encodeWord(e.word), target: vocabulary.encodePhonemes(p) })));
  return { vocabulary, trainPairs, validation: split.validation, test: split.test, words: entries.length };
}

/**
 * The Seq2Seq options of a comparison model: a bidirectional encoder, general attention (with input feeding unless
 * the budget says `inputFeeding: false`) or none. Without input feeding the decoder's recurrence does not read the
 * attention, so teacher-forced training runs it over all target steps in one fused kernel call per layer.
 */
export function g2pModelOptions(
  kind: 'lstm' | 'gru',
  attention: boolean,
  budget: Pick<G2PBudget, 'hiddenSize' | 'embeddingDim' | 'numLayers'> & { readonly inputFeeding?: boolean },
  vocabulary: G2PVocabulary,
  seed: number,
): Seq2SeqOptions {
  return {
    kind,
    sourceVocabSize: vocabulary.sourceVocabSize,
    targetVocabSize: vocabulary.targetVocabSize,
    embeddingDim: budget.embeddingDim,
    hiddenSize: budget.hiddenSize,
    numLayers: budget.numLayers,
    bidirectional: true,
    attention: attention ? 'general' : 'none',
    inputFeeding: attention && (budget.inputFeeding ?? true),
    seed,
  };
}

/**
 * The record of a comparison model's shape in results.json, read from its Seq2Seq options (the hidden size aside,
 * which the config records on its own): e.g. "bidirectional encoder, 1 layer, general attention, no input
 * feeding, greedy decoding".
 */
export function g2pArchitecture(options: Pick<Seq2SeqOptions, 'numLayers' | 'bidirectional' | 'attention' | 'inputFeeding'>): string {
  // Seq2Seq's defaults: one layer, bidirectional, general attention, input feeding with attention.
  const layers = options.numLayers ?? 1;
  const attention = options.attention ?? 'general';
  const feeding = options.inputFeeding ?? attention !== 'none';
  return [
    `${(options.bidirectional ?? true) ? 'bidirectional' : 'unidirectional'} encoder`,
    `${layers} layer${layers === 1 ? '' : 's'}`,
    attention === 'none' ? 'no attention' : `${attention} attention`,
    ...(attention === 'none' ? [] : [feeding ? 'input feeding' : 'no input feeding']),
    'greedy decoding',
  ].join(', ');
}

/** The training pairs of one G2P step: letter ids and phoneme ids (without BOS and EOS) of `batchSize` random training pairs. */
export type G2PBatch = readonly { readonly source: readonly number[]; readonly target: readonly number[] }[];

/**
 * The batches {@link trainG2P} trains on: each call draws the next step's `batchSize` training pairs at random
 * (with replacement) from a stream seeded by `seed`. Tools that replay a run (the end-to-end benchmark's PyTorch
 * peer) draw them here too, so they see the same pairs in the same order.
 */
export function g2pBatches(data: Pick<G2PData, 'trainPairs'>, batchSize: number, seed: number): () => G2PBatch {
  const rng = new Rng(seed).fork('batches');
  return () => Array.from({ length: batchSize }, () => at(data.trainPairs, rng.int(data.trainPairs.length), 'training pairs'));
}

/** One optimizer step of a training run: its number, its loss (not smoothed) and its wall time; returning (or resolving to) `'stop'` ends training. */
export type G2PStepCallback = (step: number, loss: number, ms: number) => unknown;

/**
 * Trains `model` with teacher forcing: Adam at the budget's learning rate (following its schedule when it has one),
 * gradients clipped to global norm 1, batches of random training pairs drawn from `seed`. `onStep` runs after every
 * step (awaited) and may stop training. Returns the training throughput in target tokens per second (callbacks
 * excluded), the loss smoothed over the last ≈ 50 steps and the steps trained.
 */
export async function trainG2P(
  model: Seq2Seq,
  data: Pick<G2PData, 'trainPairs'>,
  budget: Pick<G2PBudget, 'steps' | 'batchSize' | 'learningRate'> & { readonly schedule?: BudgetSchedule | undefined },
  seed: number,
  onStep?: G2PStepCallback,
): Promise<{ readonly tokensPerSecond: number; readonly finalLoss: number; readonly steps: number }> {
  const nextBatch = g2pBatches(data, budget.batchSize, seed);
  const { schedule } = scheduleOptions(budget);
  const optimizer = new Adam({ learningRate: budget.learningRate });
  const params = model.parameters();
  let trainMs = 0;
  let tokens = 0;
  let smoothed = Number.NaN;
  let step = 0;
  try {
    while (step < budget.steps) {
      step++;
      // The batch is drawn before the clock: the step's time is the model's (as a replay on ready batches times it).
      const batch = nextBatch();
      const started = performance.now();
      const { value, grads } = tf.variableGrads(() => model.loss({ source: batch.map((p) => p.source), target: batch.map((p) => p.target) }), Object.values(params));
      const byName: Record<string, tf.Tensor> = {};
      for (const [name, v] of Object.entries(params)) {
        const grad = grads[v.name];
        if (grad) byName[name] = grad;
      }
      // the norm in one pass over the gradients where they sit, and clip_grad_norm_'s coefficient applied inside the
      // optimizer's update (no tfjs op per gradient)
      const norm = globalNormValue(Object.values(byName));
      const learningRate = schedule === undefined ? budget.learningRate : schedule.at(step - 1, budget.learningRate);
      optimizer.step(params, byName, learningRate, clipCoefficient(1, norm));
      const loss = at(value.dataSync(), 0, 'loss value');
      tf.dispose([value, ...Object.values(grads)]);
      const ms = performance.now() - started;
      trainMs += ms;
      smoothed = Number.isNaN(smoothed) ? loss : 0.98 * smoothed + 0.02 * loss;
      tokens += batch.reduce((n, p) => n + p.target.length + 1, 0);
      if ((await onStep?.(step, loss, ms)) === 'stop') break;
    }
  } finally {
    // Adam's moment estimates are tensors of the parameters' sizes.
    optimizer.dispose();
  }
  return { tokensPerSecond: tokens / (trainMs / 1000), finalLoss: smoothed, steps: step };
}

/** PER/WER of a model on dictionary entries, with the decoding throughput. */
export interface G2PEvaluation {
  readonly per: number;
  readonly wer: number;
  readonly words: number;
  readonly decodeTokensPerSecond: number;
}

/** Decodes every entry (greedy, or beam search when beamWidth > 1) and scores it against all its pronunciations. */
export function evaluateG2P(model: Seq2Seq, vocabulary: G2PVocabulary, entries: readonly PronunciationEntry[], beamWidth: number): G2PEvaluation {
  if (entries.length === 0) throw new ArgumentError('entries', 'at least one dictionary entry', 'none');
  const predictions: string[][] = [];
  const start = performance.now();
  let tokens = 0;
  for (let i = 0; i < entries.length; i += 128) {
    const chunk = entries.slice(i, i + 128);
    const sources = chunk.map((e) => vocabulary.encodeWord(e.word));
    const maxLength = Math.max(...sources.map((s) => s.length)) + 8;
    const hyps = beamWidth > 1 ? beamSearch(model, sources, { beamWidth, maxLength }).map((r) => r.best) : greedyDecode(model, sources, { maxLength });
    for (const h of hyps) {
      tokens += h.tokens.length + 1;
      predictions.push(vocabulary.decodePhonemes(h.tokens));
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const rates = g2pErrorRates(
    predictions,
    entries.map((e) => e.pronunciations),
  );
  return { per: rates.per, wer: rates.wer, words: rates.words, decodeTokensPerSecond: tokens / seconds };
}

