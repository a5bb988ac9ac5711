import { describe, expect, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer.js';
import { EmptyCorpusError, UnknownTokenError } from './errors.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('CharTokenizer', () => {
  it('reserves <pad> <unk> <bos> <eos> at ids 0..3 and orders characters by training frequency', () => {
    const tok = CharTokenizer.fit('abbccc');
    expect(tok.vocab.tokens).toEqual(['<pad>', '<unk>', '<bos>', '<eos>', 'c', 'b', 'a']);
    expect([tok.vocab.padId, tok.vocab.unkId, tok.vocab.bosId, tok.vocab.eosId]).toEqual([0, 1, 2, 3]);
    expect(tok.vocabSize).toBe(7);
  });

  it('round-trips text exactly, astral characters (emoji) included', () => {
    const text = 'Call me Ishmael — “whale” 🐋 é\nnew line';
    const tok = CharTokenizer.fit(text);
    const ids = tok.encode(text);
    expect(ids).toBeInstanceOf(Int32Array);
    expect(ids.length).toBe(Array.from(text).length);
    expect(tok.decode(ids)).toBe(text);
  });

  it('round-trips lone surrogates and names an unknown astral character whole', () => {
    const odd = 'a\ud83db\udc0bc';
    const tok = CharTokenizer.fit(odd);
    expect(tok.decode(tok.encode(odd))).toBe(odd);
    const strict = CharTokenizer.fit('ab', { specials: [] });
    expect(() => strict.encode('ab🐋')).toThrow(/"🐋" at token 2/);
  });

  it('maps characters unseen in the training text to <unk>', () => {
    const tok = CharTokenizer.fit('aaa');
    expect(Array.from(tok.encode('abz'))).toEqual([4, 1, 1]);
    expect(tok.decode(tok.encode('ab'))).toBe('a<unk>');
  });

  it('rejects an unknown character when the vocabulary has no <unk>, naming the character, position and line', () => {
    const tok = CharTokenizer.fit('ab\nab', { specials: ['<pad>'] });
    const e = thrown(() => tok.encode('ab\naXb', { source: 'notes.txt' }));
    expect(e).toBeInstanceOf(UnknownTokenError);
    expect((e as UnknownTokenError).code).toBe('GATED_TEXT_UNKNOWN_TOKEN');
    expect((e as UnknownTokenError).details).toMatchObject({ token: 'X', position: 4, line: 2, file: 'notes.txt' });
    expect((e as Error).message).toContain('notes.txt:2');
  });

  it('applies minimum frequency and maximum vocabulary size (specials included)', () => {
    const text = 'aaaabbbcc d';
    expect(CharTokenizer.fit(text, { minFrequency: 2 }).vocab.tokens.slice(4)).toEqual(['a', 'b', 'c']);
    expect(CharTokenizer.fit(text, { maxVocabSize: 6 }).vocab.tokens).toEqual(['<pad>', '<unk>', '<bos>', '<eos>', 'a', 'b']);
  });

  it('lower-cases and normalizes when asked (NFKC folds the ﬁ ligature)', () => {
    const tok = CharTokenizer.fit('ﬁsh FISH', { lowercase: true, normalization: 'NFKC' });
    expect(tok.tokenize('ﬁ')).toEqual(['f', 'i']);
    expect(tok.decode(tok.encode('FiSh'))).toBe('fish');
  });

  it('adds <bos>/<eos> on request and skips them when decoding', () => {
    const tok = CharTokenizer.fit('ab');
    const ids = tok.encode('ab', { addBos: true, addEos: true });
    expect(ids[0]).toBe(2);
    expect(ids[3]).toBe(3);
    expect(tok.decode(ids)).toBe('ab');
    expect(tok.decode(ids, { skipSpecials: false })).toBe('<bos>ab<eos>');
  });

  it('encodes a stream of chunks to the same ids as the whole text, even when a chunk splits a surrogate pair', async () => {
    const text = 'x🐋y🐋z'.repeat(5);
    const tok = CharTokenizer.fit(text);
    const chunks = [text.slice(0, 2), text.slice(2, 7), text.slice(7)]; // cuts inside the first 🐋 pair
    const parts: number[] = [];
    for await (const ids of tok.encodeStream(chunks)) parts.push(...ids);
    expect(parts).toEqual(Array.from(tok.encode(text)));
  });

  it('fits from an async stream to the same vocabulary as from the whole text', async () => {
    async function* chunks() {
      yield 'hello ';
      yield 'world';
    }
    expect((await CharTokenizer.fitAsync(chunks())).vocab.tokens).toEqual(CharTokenizer.fit('hello world').vocab.tokens);
  });

  it('rejects an empty training corpus', () => {
    expect(() => CharTokenizer.fit([])).toThrow(EmptyCorpusError);
    expect(() => CharTokenizer.fit('', { source: 'train.txt' })).toThrow(/train\.txt/);
  });
});
