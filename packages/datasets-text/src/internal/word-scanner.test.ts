import { Rng } from '@gated/tensor';
import { describe, expect, it } from 'vitest';
import { scanWords } from './word-scanner.js';

const REFERENCE = /[\p{L}\p{M}\p{N}_]+(?:['’][\p{L}\p{M}\p{N}_]+)*|[^\s\p{L}\p{M}\p{N}_]/gu;

describe('scanWords', () => {
  it('gives the same tokens as the reference regular expression on random text', () => {
    const rng = new Rng(17);
    const alphabet = ['a', 'Z', '0', '_', ' ', '\n', '\u00a0', "'", '’', '.', ',', '-', 'é', 'e\u0301', 'ß', '中', '🐋', '𝒜', '٣', '\ud83d', '\udc0b', '\u2028', '$', '"'];
    for (let trial = 0; trial < 3000; trial++) {
      const s = Array.from({ length: rng.int(30) }, () => alphabet[rng.int(alphabet.length)]!).join('');
      expect(scanWords(s)).toEqual(s.match(REFERENCE) ?? []);
    }
  });

  it('keeps inner apostrophes and splits the rest', () => {
    expect(scanWords("don't 'quote' whale’s end'")).toEqual(["don't", "'", 'quote', "'", 'whale’s', 'end', "'"]);
  });
});
