import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { GraphemeError } from '@gated/datasets-text';
import { OnnxEncoderDecoder, readOnnxInfo } from '@gated/onnx';
import { Seq2Seq, decoderStepPath, exportSeq2SeqOnnxFiles } from '@gated/seq2seq';
import { initBackend, writeFileAtomic } from '@gated/tensor';
import { parseBackend, parseCount } from '../cli-args.js';
import { UsageError } from '../errors.js';
import { G2P_BUDGETS, G2P_MODELS, type G2PBudget, evaluateG2P, g2pTable, loadG2PData, runTextG2P, trainG2P } from '../tasks/text-g2p.js';

type Values = Readonly<Record<string, string | boolean | undefined>>;

/** What `--train` stores in the encoder's metadata so `--model` can spell words and name phonemes. */
interface G2PDescription {
  readonly task: 'text-g2p';
  /** Source ids 1.. in order (0 is padding). */
  readonly graphemes: readonly string[];
  /** Target ids 3.. in order (0 padding, 1 BOS, 2 EOS). */
  readonly phonemes: readonly string[];
}

const ATTENTIONS = ['general', 'additive', 'dot', 'none'] as const;
const KINDS = ['lstm', 'gru'] as const;

function choice<T extends string>(flag: string, value: string | boolean | undefined, valid: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !valid.includes(value as T)) throw new UsageError(flag, 'a known value', JSON.stringify(value), valid);
  return value as T;
}

function budgetOf(values: Values): G2PBudget {
  const name = choice('--budget', values['budget'], ['quick', 'default', 'paper'] as const, 'default');
  const budget = G2P_BUDGETS[name];
  const steps = values['steps'] === undefined ? budget.steps : parseCount('--steps', values['steps'] as string, budget.steps, 1);
  return { ...budget, steps };
}

/**
 * `gated g2p`: with `--model`, prints the pronunciation of each word (ONNX encoder + decoder step, greedy);
 * with `--train`, trains one encoder–decoder on CMUdict and exports it; with `--compare`, runs the text-g2p
 * comparison. A word that is empty or has a character outside a–z and ' is a GraphemeError (exit 1); a word whose
 * output reaches `--max-length` without ending is printed with "(cut at N)".
 */
export async function g2pCommand(words: readonly string[], values: Values, print: (text: string) => void): Promise<number> {
  const modes = ['model', 'train', 'compare'].filter((m) => values[m] !== undefined);
  if (modes.length !== 1) throw new UsageError('gated g2p', 'exactly one of --model, --train, --compare', modes.length === 0 ? 'none' : modes.map((m) => `--${m}`).join(' '));
  if (values['model'] !== undefined) return predict(values['model'] as string, words, values, print);
  if (words.length > 0) throw new UsageError('gated g2p', 'words only with --model', words.join(' '));
  await initBackend({ backend: parseBackend(values['backend'] as string | undefined) });
  return values['train'] ? train(values, print) : compare(values, print);
}

async function predict(path: string, words: readonly string[], values: Values, print: (text: string) => void): Promise<number> {
  if (words.length === 0) throw new UsageError('gated g2p --model', 'one or more words', 'none');
  const bytes = new Uint8Array(await readFile(path));
  const raw = readOnnxInfo(bytes).metadata['gated.seq2seq'];
  const description = raw === undefined ? undefined : (JSON.parse(raw) as G2PDescription);
  if (description?.task !== 'text-g2p') throw new UsageError('--model', 'an encoder written by gated g2p --train', `${path} without text-g2p metadata`);
  const ids = new Map(description.graphemes.map((g, i) => [g, i + 1]));
  const sources = words.map((word) => {
    if (word.length === 0) throw new GraphemeError(word, -1, '', 'a letter');
    return [...word.toLowerCase()].map((ch, i) => {
      const id = ids.get(ch);
      if (id === undefined) throw new GraphemeError(word, i, ch, `one of ${description.graphemes.join('')}`);
      return id;
    });
  });
  const maxLength = values['max-length'] === undefined ? Math.max(...sources.map((s) => s.length)) + 10 : parseCount('--max-length', values['max-length'] as string, 0, 1, 1000);
  const model = await OnnxEncoderDecoder.create(bytes, decoderStepPath(path));
  try {
    const results = await model.greedy(sources, { maxLength });
    const rows = results.map((r, i) => ({
      word: words[i]!,
      phonemes: r.tokens.map((t) => description.phonemes[t - 3] ?? `<${t}>`),
      finished: r.finished,
    }));
    if (values['json']) print(`${JSON.stringify(rows)}\n`);
    else for (const r of rows) print(`${r.word}\t${r.phonemes.join(' ')}${r.finished ? '' : `\t(cut at ${maxLength})`}\n`);
    return 0;
  } finally {
    await model.release();
  }
}

async function train(values: Values, print: (text: string) => void): Promise<number> {
  const out = values['out'];
  if (typeof out !== 'string' || !out.endsWith('.onnx')) throw new UsageError('--out', 'the .onnx file to write', String(out));
  const kind = choice('--kind', values['kind'], KINDS, 'lstm');
  const attention = choice('--attention', values['attention'], ATTENTIONS, 'general');
  const seed = parseCount('--seed', values['seed'] as string | undefined, 0);
  const budget = budgetOf(values);
  const data = await loadG2PData();
  const model = new Seq2Seq({
    kind,
    attention,
    sourceVocabSize: data.vocabulary.sourceVocabSize,
    targetVocabSize: data.vocabulary.targetVocabSize,
    embeddingDim: budget.embeddingDim,
    hiddenSize: budget.hiddenSize,
    numLayers: budget.numLayers,
    seed,
  });
  try {
    const quiet = values['json'] === true;
    trainG2P(model, data, budget, seed, (p) => {
      if (!quiet) print(`step ${p.step}/${budget.steps} loss ${p.loss.toFixed(4)}\n`);
    });
    const test = budget.maxEvalWords > 0 ? data.test.slice(0, budget.maxEvalWords) : data.test;
    const score = evaluateG2P(model, data.vocabulary, test, budget.beamWidth);
    const description: G2PDescription = { task: 'text-g2p', graphemes: data.vocabulary.graphemes, phonemes: data.vocabulary.phonemes };
    const files = await exportSeq2SeqOnnxFiles(model, out, { description: { ...description } });
    const summary = { kind, attention, steps: budget.steps, per: score.per, wer: score.wer, testWords: score.words, ...files };
    print(
      values['json']
        ? `${JSON.stringify(summary)}\n`
        : `Wrote ${files.encoder} and ${files.decoderStep}: ${kind} ${attention}, PER ${(100 * score.per).toFixed(2)}% WER ${(100 * score.wer).toFixed(2)}% on ${score.words} test words.\n`,
    );
    return 0;
  } finally {
    model.dispose();
  }
}

async function compare(values: Values, print: (text: string) => void): Promise<number> {
  const budget = budgetOf(values);
  const seedCount = parseCount('--seeds', values['seeds'] as string | undefined, 1, 1, 100);
  const seeds = Array.from({ length: seedCount }, (_, i) => i);
  const quiet = values['json'] === true;
  const { results, testWords } = await runTextG2P({ budget, models: G2P_MODELS, seeds, log: (line) => (quiet ? undefined : print(`${line}\n`)) });
  const table = g2pTable(results);
  const out = values['out'];
  if (typeof out === 'string') {
    mkdirSync(out, { recursive: true });
    await writeFileAtomic(`${out}/results.json`, JSON.stringify({ task: 'text-g2p', budget, seeds, testWords, results }, null, 2));
    await writeFileAtomic(`${out}/table.md`, table);
  }
  print(quiet ? `${JSON.stringify({ budget, testWords, results })}\n` : `\ntext-g2p: CMUdict, ${testWords} test words\n${table}`);
  return 0;
}
