import * as tf from '@tensorflow/tfjs-core';
import { G2PVocabulary, type PronunciationEntry, g2pErrorRates, loadCmudict, splitByWord } from '@gated/datasets-text';
import { Seq2Seq, type Seq2SeqOptions, beamSearch, greedyDecode } from '@gated/seq2seq';
import { ArgumentError, Rng } from '@gated/tensor';
import { Adam, clipByGlobalNorm, globalNorm } from '@gated/trainer';

/**
 * The `text-g2p` comparison: grapheme-to-phoneme conversion on CMUdict (stress stripped, 39 phonemes), LSTM vs
 * GRU encoder–decoders with attention and without it (the baseline), scored by phoneme and word error rate.
 * Its models are encoder–decoders, not the single recurrent layer + head of the other tasks, so it runs through
 * `gated g2p --compare` with its own loop rather than the `gated compare` grid.
 */

/** The four models of the comparison. */
export const G2P_MODELS = ['lstm-attention', 'gru-attention', 'lstm-plain', 'gru-plain'] as const;
/** One model of the comparison: cell kind and whether the decoder attends. */
export type G2PModel = (typeof G2P_MODELS)[number];

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
}

/** quick: smoke runs; default: minutes per model on a shared CPU; paper: towards the published setting (hours). */
export const G2P_BUDGETS: Readonly<Record<'quick' | 'default' | 'paper', G2PBudget>> = {
  quick: { hiddenSize: 32, embeddingDim: 16, numLayers: 1, steps: 30, batchSize: 32, learningRate: 0.005, maxEvalWords: 100, beamWidth: 1 },
  default: { hiddenSize: 64, embeddingDim: 32, numLayers: 1, steps: 800, batchSize: 32, learningRate: 0.005, maxEvalWords: 500, beamWidth: 1 },
  paper: { hiddenSize: 256, embeddingDim: 128, numLayers: 2, steps: 40000, batchSize: 128, learningRate: 0.001, maxEvalWords: 0, beamWidth: 5 },
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

/** Loads CMUdict and makes the split every model and seed shares. */
export async function loadG2PData(): Promise<G2PData> {
  const vocabulary = new G2PVocabulary();
  const entries = await loadCmudict();
  const split = splitByWord(entries, { seed: 0 });
  const trainPairs = split.train.flatMap((e) => e.pronunciations.map((p) => ({ source: vocabulary.encodeWord(e.word), target: vocabulary.encodePhonemes(p) })));
  return { vocabulary, trainPairs, validation: split.validation, test: split.test, words: entries.length };
}

/** The Seq2Seq options of a comparison model. */
export function g2pModelOptions(model: G2PModel, budget: G2PBudget, vocabulary: G2PVocabulary, seed: number): Seq2SeqOptions {
  return {
    kind: model.startsWith('lstm') ? 'lstm' : 'gru',
    sourceVocabSize: vocabulary.sourceVocabSize,
    targetVocabSize: vocabulary.targetVocabSize,
    embeddingDim: budget.embeddingDim,
    hiddenSize: budget.hiddenSize,
    numLayers: budget.numLayers,
    bidirectional: true,
    attention: model.endsWith('attention') ? 'general' : 'none',
    seed,
  };
}

/** Progress of a training run. */
export interface G2PTrainProgress {
  readonly step: number;
  readonly loss: number;
  readonly elapsedMs: number;
  readonly targetTokens: number;
}

/**
 * Trains `model` with teacher forcing: Adam, gradients clipped to global norm 1, batches of random training pairs
 * drawn from `seed`. Returns the training throughput in target tokens per second.
 */
export function trainG2P(
  model: Seq2Seq,
  data: G2PData,
  budget: G2PBudget,
  seed: number,
  onProgress?: (p: G2PTrainProgress) => void,
): { readonly tokensPerSecond: number; readonly finalLoss: number } {
  const rng = new Rng(seed).fork('batches');
  const optimizer = new Adam({ learningRate: budget.learningRate });
  const params = model.parameters();
  const start = performance.now();
  let tokens = 0;
  let smoothed = Number.NaN;
  for (let step = 1; step <= budget.steps; step++) {
    const batch = Array.from({ length: budget.batchSize }, () => data.trainPairs[rng.int(data.trainPairs.length)]!);
    const { value, grads } = tf.variableGrads(() => model.loss({ source: batch.map((p) => p.source), target: batch.map((p) => p.target) }), Object.values(params));
    const byName: Record<string, tf.Tensor> = {};
    for (const [name, v] of Object.entries(params)) if (grads[v.name]) byName[name] = grads[v.name]!;
    const norm = globalNorm(Object.values(byName));
    const clipped = clipByGlobalNorm(byName, 1, norm);
    optimizer.step(params, clipped);
    const loss = value.dataSync()[0]!;
    tf.dispose([value, norm, ...Object.values(grads), ...Object.values(clipped)]);
    smoothed = Number.isNaN(smoothed) ? loss : 0.98 * smoothed + 0.02 * loss;
    tokens += batch.reduce((n, p) => n + p.target.length + 1, 0);
    if (onProgress && (step % 50 === 0 || step === budget.steps)) onProgress({ step, loss: smoothed, elapsedMs: performance.now() - start, targetTokens: tokens });
  }
  return { tokensPerSecond: tokens / ((performance.now() - start) / 1000), finalLoss: smoothed };
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

/** The result of one model and seed. */
export interface G2PRunResult {
  readonly model: G2PModel;
  readonly seed: number;
  readonly params: number;
  readonly per: number;
  readonly wer: number;
  readonly trainTokensPerSecond: number;
  readonly decodeTokensPerSecond: number;
  readonly trainSeconds: number;
  readonly finalLoss: number;
}

/** Options of {@link runTextG2P}. */
export interface RunTextG2POptions {
  readonly budget: G2PBudget;
  readonly models?: readonly G2PModel[];
  readonly seeds?: readonly number[];
  /** Called with each progress line. */
  readonly log?: (line: string) => void;
  /** Called with each trained model before it is disposed (to save or export it). */
  readonly onTrained?: (model: Seq2Seq, run: G2PRunResult, data: G2PData) => Promise<void> | void;
}

/** Trains and scores every model for every seed on the same split; results in model, then seed order. */
export async function runTextG2P(options: RunTextG2POptions): Promise<{ readonly results: readonly G2PRunResult[]; readonly testWords: number; readonly data: G2PData }> {
  const data = await loadG2PData();
  const test = options.budget.maxEvalWords > 0 ? data.test.slice(0, options.budget.maxEvalWords) : data.test;
  const results: G2PRunResult[] = [];
  const log = options.log ?? (() => {});
  for (const name of options.models ?? G2P_MODELS) {
    for (const seed of options.seeds ?? [0]) {
      const model = new Seq2Seq(g2pModelOptions(name, options.budget, data.vocabulary, seed));
      try {
        const started = performance.now();
        const train = trainG2P(model, data, options.budget, seed, (p) =>
          log(`${name} seed ${seed}: step ${p.step}/${options.budget.steps} loss ${p.loss.toFixed(4)} ${(p.targetTokens / (p.elapsedMs / 1000)).toFixed(0)} tokens/s`),
        );
        const trainSeconds = (performance.now() - started) / 1000;
        const score = evaluateG2P(model, data.vocabulary, test, options.budget.beamWidth);
        const run: G2PRunResult = {
          model: name,
          seed,
          params: model.countParams(),
          per: score.per,
          wer: score.wer,
          trainTokensPerSecond: train.tokensPerSecond,
          decodeTokensPerSecond: score.decodeTokensPerSecond,
          trainSeconds,
          finalLoss: train.finalLoss,
        };
        log(`${name} seed ${seed}: PER ${(100 * run.per).toFixed(2)}% WER ${(100 * run.wer).toFixed(2)}% on ${score.words} test words`);
        results.push(run);
        await options.onTrained?.(model, run, data);
      } finally {
        model.dispose();
      }
    }
  }
  return { results, testWords: test.length, data };
}

/** Mean and sample standard deviation (0 for one value). */
export function meanStd(values: readonly number[]): { readonly mean: number; readonly std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, std };
}

/** A Markdown table of PER/WER mean ± std per model. */
export function g2pTable(results: readonly G2PRunResult[]): string {
  const rows = ['| model | seeds | params | PER % | WER % | train tokens/s | decode tokens/s |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const model of G2P_MODELS) {
    const runs = results.filter((r) => r.model === model);
    if (runs.length === 0) continue;
    const per = meanStd(runs.map((r) => 100 * r.per));
    const wer = meanStd(runs.map((r) => 100 * r.wer));
    const fmt = (m: { mean: number; std: number }) => (runs.length > 1 ? `${m.mean.toFixed(2)} ± ${m.std.toFixed(2)}` : m.mean.toFixed(2));
    rows.push(
      `| ${model} | ${runs.length} | ${runs[0]!.params} | ${fmt(per)} | ${fmt(wer)} | ${meanStd(runs.map((r) => r.trainTokensPerSecond)).mean.toFixed(0)} | ${meanStd(runs.map((r) => r.decodeTokensPerSecond)).mean.toFixed(0)} |`,
    );
  }
  return `${rows.join('\n')}\n`;
}
