import { ArgumentError, checkOptions, describeValue } from '@gated/tensor';
import { countLines } from '../text-normalize.js';
import type { DecodeOptions, EncodeOptions, Tokenizer, TokenizerJSON } from '../tokenizer.js';
import type { Vocabulary } from '../vocabulary.js';
import { DECODE_SPEC, ENCODE_SPEC } from '../option-specs.js';

/** Where the text being encoded sits in a longer stream, for error messages. */
export interface StreamPosition {
  readonly line: number; // lines before this text
  readonly token: number; // tokens before this text
  readonly source: string | undefined;
}

const START: StreamPosition = { line: 0, token: 0, source: undefined };

/** Shared encode/decode plumbing; subclasses say how text becomes tokens. */
export abstract class TokenizerBase implements Tokenizer {
  abstract readonly kind: 'char' | 'word';
  readonly vocab: Vocabulary;

  constructor(vocab: Vocabulary) {
    this.vocab = vocab;
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  abstract tokenize(text: string): string[];
  abstract toJSON(): TokenizerJSON;
  /** Encodes normalized-or-not `text` (subclass normalizes) into ids. */
  protected abstract encodeAt(text: string, at: StreamPosition): Int32Array;
  /** Splits `text` into a part that can be encoded now and a tail that may continue in the next chunk. */
  protected abstract splitComplete(text: string): [string, string];
  protected abstract join(tokens: string[]): string;

  encode(text: string, options: EncodeOptions = {}): Int32Array {
    checkOptions(`${this.constructor.name}.encode`, options, ENCODE_SPEC);
    if (typeof text !== 'string') throw new ArgumentError('text', 'a string', describeValue(text));
    if (typeof text !== 'string') throw new ArgumentError('text', 'a string', typeof text);
    const ids = this.encodeAt(text, { ...START, source: options.source });
    if (!options.addBos && !options.addEos) return ids;
    const bos = options.addBos ? [this.#required('<bos>', this.vocab.bosId)] : [];
    const eos = options.addEos ? [this.#required('<eos>', this.vocab.eosId)] : [];
    const out = new Int32Array(ids.length + bos.length + eos.length);
    out.set(bos, 0);
    out.set(ids, bos.length);
    out.set(eos, bos.length + ids.length);
    return out;
  }

  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    checkOptions(`${this.constructor.name}.decode`, options, DECODE_SPEC);
    if (typeof ids !== 'object' || ids === null || typeof ids.length !== 'number') throw new ArgumentError('ids', 'an array of token ids', describeValue(ids));
    const skip = options.skipSpecials ?? true;
    const { tokens, unkId } = this.vocab;
    const parts: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const t = id === undefined ? undefined : tokens[id];
      if (id === undefined || t === undefined) throw new ArgumentError(`ids[${i}]`, `a token id in 0..${tokens.length - 1}`, String(id));
      if (skip && id !== unkId && this.vocab.isSpecial(id)) continue;
      parts.push(t);
    }
    return this.join(parts);
  }

  async *encodeStream(
    chunks: AsyncIterable<string> | Iterable<string>,
    options: Omit<EncodeOptions, 'addBos' | 'addEos'> = {},
  ): AsyncGenerator<Int32Array> {
    checkOptions(`${this.constructor.name}.encodeStream`, options, { source: 'string' });
    let carry = '';
    let line = 0;
    let token = 0;
    for await (const chunk of chunks) {
      const [now, rest] = this.splitComplete(carry + chunk);
      carry = rest;
      if (now.length === 0) continue;
      const ids = this.encodeAt(now, { line, token, source: options.source });
      line += countLines(now);
      token += ids.length;
      if (ids.length > 0) yield ids;
    }
    if (carry.length > 0) {
      const ids = this.encodeAt(carry, { line, token, source: options.source });
      if (ids.length > 0) yield ids;
    }
  }

  #required(name: string, id: number): number {
    if (id < 0) throw new ArgumentError('options', `a vocabulary holding ${name}`, `specials [${this.vocab.specials.join(', ')}]`);
    return id;
  }
}
