import { ArgumentError, assertInteger, assertObject, checkOptions, describeValue } from '@gated/tensor';
import { PAD_SPEC } from './option-specs.js';

/**
 * What to drop from a sequence longer than `maxLen` (Keras `pad_sequences` names): `'post'` keeps the first
 * `maxLen` tokens, `'pre'` keeps the last ones, `'middle'` keeps the first ⌈maxLen/2⌉ and the last ⌊maxLen/2⌋
 * (for long documents, head + tail often classify better than either alone).
 */
export type Truncation = 'post' | 'pre' | 'middle';

/** Sequences padded into one [N, maxLen] int32 block, with each sequence's kept length. */
export interface PaddedSequences {
  /** Row-major [count, maxLen] token ids; padding (`padId`) after each sequence's `lengths[i]` tokens. */
  readonly ids: Int32Array;
  readonly lengths: Int32Array;
  readonly count: number;
  readonly maxLen: number;
  /** How many sequences were longer than `maxLen` and truncated. */
  readonly truncated: number;
}

/** Options of {@link padSequences}. */
export interface PadOptions {
  readonly maxLen: number;
  /** Default 'post'. */
  readonly truncation?: Truncation;
  /** Id written after each sequence; usually `vocab.padId`. Default 0. */
  readonly padId?: number;
}

/**
 * Truncates and pads token id sequences to `maxLen` (padding always at the end, so `lengths` marks the valid
 * prefix, as PyTorch's `pack_padded_sequence` expects). An empty sequence is rejected: every example needs at
 * least one token for `lengths`-based pooling.
 */
export function padSequences(sequences: readonly ArrayLike<number>[], options: PadOptions): PaddedSequences {
  assertObject('padSequences options', options, 'an options object { maxLen, truncation?, padId? }');
  checkOptions('padSequences', options, PAD_SPEC);
  if (!Array.isArray(sequences)) throw new ArgumentError('sequences', 'an array of token-id arrays', describeValue(sequences));
  const { maxLen } = options;
  const truncation = options.truncation ?? 'post';
  const padId = options.padId ?? 0;
  assertInteger('maxLen', maxLen, 1);
  if (!['post', 'pre', 'middle'].includes(truncation)) throw new ArgumentError('truncation', "'post', 'pre' or 'middle'", JSON.stringify(truncation));
  const count = sequences.length;
  const ids = new Int32Array(count * maxLen);
  if (padId !== 0) ids.fill(padId);
  const lengths = new Int32Array(count);
  let truncated = 0;
  sequences.forEach((seq, i) => {
    const n = seq.length;
    if (n === 0) throw new ArgumentError(`sequences[${i}]`, 'at least one token', 'an empty sequence');
    const row = i * maxLen;
    const put = (from: number, to: number, at: number): void => {
      for (let k = from; k < to; k++) ids[row + at + k - from] = seq[k]!;
    };
    if (n <= maxLen) put(0, n, 0);
    else {
      truncated++;
      if (truncation === 'post') put(0, maxLen, 0);
      else if (truncation === 'pre') put(n - maxLen, n, 0);
      else {
        const head = Math.ceil(maxLen / 2);
        put(0, head, 0);
        put(n - (maxLen - head), n, head);
      }
    }
    lengths[i] = Math.min(n, maxLen);
  });
  return { ids, lengths, count, maxLen, truncated };
}
