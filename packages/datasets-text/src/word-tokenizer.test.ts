import { describe, expect, it } from 'vitest';
import { EmptyCorpusError, UnknownTokenError } from './errors.js';
import { WordTokenizer } from './word-tokenizer.js';

describe('WordTokenizer', () => {
  it('lower-cases and splits punctuation off words, keeping inner apostrophes', () => {
    const tok = WordTokenizer.fit('x');
    expect(tok.tokenize("Call me Ishmael. Don't, the whale’s (white)!")).toEqual([
      'call', 'me', 'ishmael', '.', "don't", ',', 'the', 'whale’s', '(', 'white', ')', '!',
    ]);
  });

  it('splits on whitespace only when splitPunctuation is false, and keeps case when lowercase is false', () => {
    const tok = WordTokenizer.fit('x', { splitPunctuation: false, lowercase: false });
    expect(tok.tokenize('Hello, World!  ok')).toEqual(['Hello,', 'World!', 'ok']);
  });

  it('applies NFKC normalization by default (full-width letters and ligatures fold)', () => {
    const tok = WordTokenizer.fit('x');
    expect(tok.tokenize('ＡＢＣ ﬁne')).toEqual(['abc', 'fine']);
  });

  it('keeps the most frequent words within maxVocabSize and drops words under minFrequency', () => {
    const text = 'the the the whale whale sea ship';
    const top = WordTokenizer.fit(text, { maxVocabSize: 6 });
    expect(top.vocab.tokens.slice(4)).toEqual(['the', 'whale']);
    const frequent = WordTokenizer.fit(text, { minFrequency: 2 });
    expect(frequent.vocab.tokens.slice(4)).toEqual(['the', 'whale']);
    expect(Array.from(frequent.encode('the sea'))).toEqual([4, frequent.vocab.unkId]);
  });

  it('round-trips tokens: tokenize(decode(encode(t))) equals tokenize(t)', () => {
    const text = 'It was the   best of times,\nit was the worst of times.';
    const tok = WordTokenizer.fit(text);
    const decoded = tok.decode(tok.encode(text));
    expect(decoded).toBe('it was the best of times , it was the worst of times .');
    expect(tok.tokenize(decoded)).toEqual(tok.tokenize(text));
  });

  it('encodes a stream whose chunks cut words in half to the same ids as the whole text', async () => {
    const text = 'the whale swam under the ship and the whale dived';
    const tok = WordTokenizer.fit(text);
    const chunks = ['the wh', 'ale swam und', 'er the ship and the whale div', 'ed'];
    const parts: number[] = [];
    for await (const ids of tok.encodeStream(chunks)) parts.push(...ids);
    expect(parts).toEqual(Array.from(tok.encode(text)));
  });

  it('rejects an unknown word without <unk>, naming it and its line', () => {
    const tok = WordTokenizer.fit('a b c', { specials: ['<pad>', '<eos>'] });
    expect(() => tok.encode('a b\nc zebra')).toThrow(UnknownTokenError);
    expect(() => tok.encode('a b\nc zebra')).toThrow(/line 2.*"zebra"/);
  });

  it('rejects training text without a single word', () => {
    expect(() => WordTokenizer.fit(['   ', '\n'])).toThrow(EmptyCorpusError);
  });
});
