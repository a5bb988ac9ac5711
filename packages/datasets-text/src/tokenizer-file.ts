import { readFile } from './platform/node.js';
import { writeFileAtomic } from '@gated/tensor';
import { CharTokenizer } from './char-tokenizer.js';
import { VocabularyFileError } from './errors.js';
import type { UnicodeNormalization } from './text-normalize.js';
import type { Tokenizer, TokenizerJSON } from './tokenizer.js';
import { SPECIAL_TOKENS, type SpecialToken, Vocabulary } from './vocabulary.js';
import { WordTokenizer } from './word-tokenizer.js';

/** The tokenizer file format version this package reads and writes. */
export const TOKENIZER_FORMAT_VERSION = 1;

const NORMALIZATIONS: readonly UnicodeNormalization[] = ['none', 'NFC', 'NFD', 'NFKC', 'NFKD'];

/**
 * Writes `tokenizer` (its options and vocabulary) to `path` as JSON with a `version` field. The write is atomic:
 * readers see the old file or the whole new one.
 */
export async function saveTokenizer(path: string, tokenizer: Tokenizer): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(tokenizer.toJSON(), null, 1)}\n`);
}

/**
 * Reads a tokenizer saved by {@link saveTokenizer}. A file of another format version or a malformed file is
 * rejected with a VocabularyFileError naming the file (`GATED_TEXT_VOCAB_VERSION` / `GATED_TEXT_VOCAB_FORMAT`).
 */
export async function loadTokenizer(path: string): Promise<CharTokenizer | WordTokenizer> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new VocabularyFileError('GATED_TEXT_VOCAB_FORMAT', path, 'JSON', `unparseable text (${(error as Error).message})`);
  }
  return tokenizerFromJSON(json, path);
}

/** Rebuilds a tokenizer from its {@link TokenizerJSON} form; `file` names the source in errors. */
export function tokenizerFromJSON(json: unknown, file = 'tokenizer JSON'): CharTokenizer | WordTokenizer {
  const bad = (expected: string, actual: string): never => {
    throw new VocabularyFileError('GATED_TEXT_VOCAB_FORMAT', file, expected, actual);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return bad('a JSON object', Array.isArray(json) ? 'an array' : String(json));
  const o = json as Partial<Record<keyof TokenizerJSON, unknown>>;
  if (o.format !== 'gated-tokenizer') bad('format "gated-tokenizer"', JSON.stringify(o.format));
  if (o.version !== TOKENIZER_FORMAT_VERSION) {
    throw new VocabularyFileError('GATED_TEXT_VOCAB_VERSION', file, `version ${TOKENIZER_FORMAT_VERSION}`, `version ${JSON.stringify(o.version)}`);
  }
  if (o.kind !== 'char' && o.kind !== 'word') bad('kind "char" or "word"', JSON.stringify(o.kind));
  if (typeof o.lowercase !== 'boolean') bad('a boolean "lowercase"', JSON.stringify(o.lowercase));
  if (!NORMALIZATIONS.includes(o.normalization as UnicodeNormalization)) bad(`"normalization" one of ${NORMALIZATIONS.join(', ')}`, JSON.stringify(o.normalization));
  if (!Array.isArray(o.specials) || !o.specials.every((s) => SPECIAL_TOKENS.includes(s))) bad('"specials" a list of <pad> <unk> <bos> <eos>', JSON.stringify(o.specials));
  if (!Array.isArray(o.tokens) || !o.tokens.every((t) => typeof t === 'string')) bad('"tokens" a list of strings', typeof o.tokens);
  const tokens = o.tokens as string[];
  if (o.kind === 'char') {
    const bad = tokens.findIndex((t, i) => i >= (o.specials as unknown[]).length && Array.from(t).length !== 1);
    if (bad >= 0) throw new VocabularyFileError('GATED_TEXT_VOCAB_FORMAT', file, 'one character per token of a char tokenizer', `tokens[${bad}] = ${JSON.stringify(tokens[bad])}`);
  }
  let vocab: Vocabulary;
  try {
    vocab = new Vocabulary(tokens, o.specials as SpecialToken[]);
  } catch (error) {
    return bad('a valid vocabulary', (error as Error).message);
  }
  const norm = { lowercase: o.lowercase as boolean, normalization: o.normalization as UnicodeNormalization };
  if (o.kind === 'char') return new CharTokenizer(vocab, norm);
  if (o.splitPunctuation !== undefined && typeof o.splitPunctuation !== 'boolean') bad('a boolean "splitPunctuation"', JSON.stringify(o.splitPunctuation));
  return new WordTokenizer(vocab, { ...norm, splitPunctuation: (o.splitPunctuation as boolean | undefined) ?? true });
}
