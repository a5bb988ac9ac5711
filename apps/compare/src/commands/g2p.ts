import { readFile } from 'node:fs/promises';
import { GraphemeError } from '@gated/datasets-text';
import { OnnxEncoderDecoder, readOnnxInfo } from '@gated/onnx';
import { Seq2Seq, decoderStepPath, exportSeq2SeqOnnxFiles } from '@gated/seq2seq';
import { initBackend } from '@gated/tensor';
import { parseBackend, parseCount } from '../cli-args.js';
import { UsageError } from '../errors.js';
import { G2P_TASK_IDS } from '../grid.js';
import { at } from '../lookup.js';
import { G2P_BUDGETS, type G2PBudget, evaluateG2P, loadG2PData, trainG2P } from '../tasks/text-g2p.js';
import { compareCommand } from './compare.js';

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
 * with `--train`, trains one encoder–decoder on CMUdict and exports it; with `--compare`, runs the text-g2p tasks
 * of the `gated compare` grid. A word that is empty or has a character outside a–z and ' is a GraphemeError (exit 1); a word whose
 * output reaches `--max-length` without ending is printed with "(cut at N)".
 */
export async function g2pCommand(words: readonly string[], values: Values, print: (text: string) => void): Promise<number> {
  const modes = ['model', 'train', 'compare'].filter((m) => values[m] !== undefined);
  if (modes.length !== 1) throw new UsageError('gated g2p', 'exactly one of --model, --train, --compare', modes.length === 0 ? 'none' : modes.map((m) => `--${m}`).join(' '));
  if (values['model'] !== undefined) return predict(values['model'] as string, words, values, print);
  if (words.length > 0) throw new UsageError('gated g2p', 'words only with --model', words.join(' '));
  if (values['compare']) return compare(values, print);
  await initBackend({ backend: parseBackend(values['backend'] as string | undefined) });
  return train(values, print);
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
      word: at(words, i, 'words'),
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
    ...(attention === 'none' ? {} : { inputFeeding: budget.inputFeeding }),
    seed,
  });
  try {
    const quiet = values['json'] === true;
    const every = Math.max(1, Math.floor(budget.steps / 20));
    await trainG2P(model, data, budget, seed, (step, loss) => {
      if (!quiet && (step % every === 0 || step === budget.steps)) print(`step ${step}/${budget.steps} loss ${loss.toFixed(4)}\n`);
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

/**
 * `gated g2p --compare`: the `text-g2p` and `text-g2p-plain` tasks of `gated compare` (LSTM and GRU), with the
 * grid's run directory, results.json and report; `--budget quick` is `--quick`, `--budget paper` the paper suite.
 */
async function compare(values: Values, print: (text: string) => void): Promise<number> {
  const budget = choice('--budget', values['budget'], ['quick', 'default', 'paper'] as const, 'default');
  for (const flag of ['steps', 'kind', 'attention', 'seed', 'json', 'max-length'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag}`, 'no such flag with --compare (it runs the gated compare grid)', String(values[flag]));
  }
  const forwarded: Record<string, string | boolean | undefined> = {
    tasks: G2P_TASK_IDS.join(','),
    models: 'lstm,gru',
    seeds: values['seeds'],
    out: values['out'],
    backend: values['backend'],
    workers: values['workers'],
    shard: values['shard'],
    quiet: values['quiet'],
    ...(budget === 'quick' ? { quick: true } : {}),
    ...(budget === 'paper' ? { suite: 'paper' } : {}),
  };
  return compareCommand(Object.fromEntries(Object.entries(forwarded).filter(([, v]) => v !== undefined)), print);
}
