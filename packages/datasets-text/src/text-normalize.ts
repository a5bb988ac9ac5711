import { ArgumentError, describeValue } from '@gated/tensor';

/** Unicode normalization form applied before tokenizing, or `'none'` to keep the text's code points as they are. */
export type UnicodeNormalization = 'none' | 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

/** Text clean-up shared by every tokenizer. */
export interface NormalizeOptions {
  /** Lower-case the text (locale-independent `toLowerCase`). */
  readonly lowercase: boolean;
  /** Unicode normalization form (`String.prototype.normalize`). */
  readonly normalization: UnicodeNormalization;
}

/** Applies {@link NormalizeOptions} to `text`. */
export function normalizeText(text: string, options: NormalizeOptions): string {
  let s = options.normalization === 'none' ? text : text.normalize(options.normalization);
  if (options.lowercase) s = s.toLowerCase();
  return s;
}

/** 1-based line number of UTF-16 offset `index` in `text`. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Number of `\n` in `text`. */
export function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Throws an ArgumentError unless `texts` is a string or an (async) iterable of strings. */
export function assertTexts(argument: string, texts: unknown): void {
  const t = texts as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown } | null;
  if (typeof texts === 'string') return;
  if (typeof t === 'object' && t !== null && (typeof t[Symbol.iterator] === 'function' || typeof t[Symbol.asyncIterator] === 'function')) return;
  throw new ArgumentError(argument, 'a string or an iterable of strings', describeValue(texts));
}
