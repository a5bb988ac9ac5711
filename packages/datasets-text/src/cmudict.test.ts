import { beforeAll, describe, expect, it } from 'vitest';
import { type PronunciationEntry, loadCmudict, splitByWord } from './cmudict.js';
import { editDistance } from '@gated/tensor';
import { GraphemeError, PhonemeError } from './g2p-errors.js';
import { g2pErrorRates } from './g2p-metrics.js';
import { ARPABET_PHONEMES, ARPABET_STRESSED_PHONEMES, G2PVocabulary } from './g2p-vocabulary.js';

describe('CMUdict', () => {
  let entries: PronunciationEntry[] = [];
  beforeAll(async () => {
    entries = await loadCmudict();
  });
  it('gathers alternative pronunciations under their word, strips stress to the 39 phonemes, keeps only alphabetic words', () => {
    const byWord = new Map(entries.map((e) => [e.word, e.pronunciations]));
    expect(byWord.get('aaronson')).toEqual([
      ['EH', 'R', 'AH', 'N', 'S', 'AH', 'N'],
      ['AA', 'R', 'AH', 'N', 'S', 'AH', 'N'],
    ]);
    expect(byWord.get('paste')).toEqual([['P', 'EY', 'S', 'T']]);
    expect(byWord.has('a.')).toBe(false);
    expect(byWord.has('a42128')).toBe(false);
    const phonemes = new Set(entries.flatMap((e) => e.pronunciations.flat()));
    expect([...phonemes].sort()).toEqual([...ARPABET_PHONEMES].sort());
    const malformed = entries.filter((e) => !/^[a-z']+$/.test(e.word) || e.pronunciations.length === 0 || e.pronunciations.some((p) => p.length === 0));
    expect(malformed).toEqual([]);
    expect(entries.length).toBeGreaterThan(120_000);
  });

  it('keeps stress when asked (69 symbols)', async () => {
    const stressed = await loadCmudict({ stress: true });
    const byWord = new Map(stressed.map((e) => [e.word, e.pronunciations]));
    expect(byWord.get('paste')).toEqual([['P', 'EY1', 'S', 'T']]);
    expect(byWord.get("aaronson's")).toEqual([
      ['EH1', 'R', 'AH0', 'N', 'S', 'AH0', 'N', 'Z'],
      ['AA1', 'R', 'AH0', 'N', 'S', 'AH0', 'N', 'Z'],
    ]);
    const phonemes = new Set(stressed.flatMap((e) => e.pronunciations.flat()));
    expect([...phonemes].filter((p) => !ARPABET_STRESSED_PHONEMES.includes(p))).toEqual([]);
  });

  it('splits by word with a seed: no word in two splits, sizes as asked, same seed same split', () => {
    const a = splitByWord(entries, { seed: 7 });
    const b = splitByWord(entries, { seed: 7 });
    const c = splitByWord(entries, { seed: 8 });
    expect(a.test.map((e) => e.word)).toEqual(b.test.map((e) => e.word));
    expect(a.test.map((e) => e.word)).not.toEqual(c.test.map((e) => e.word));
    expect(a.test.length).toBe(Math.round(0.1 * entries.length));
    expect(a.validation.length).toBe(Math.round(0.05 * entries.length));
    const sets = [a.train, a.validation, a.test].map((s) => new Set(s.map((e) => e.word)));
    expect(sets[0]!.size + sets[1]!.size + sets[2]!.size).toBe(entries.length);
    for (const w of sets[2]!) expect(sets[0]!.has(w) || sets[1]!.has(w)).toBe(false);
    expect(() => splitByWord(entries, { test: 0.6, validation: 0.5 })).toThrow(/less than 1/);
    expect(() => splitByWord(entries, { tset: 0.1 } as never)).toThrow(/unknown option "tset".*Did you mean "test"/);
  });
});

describe('G2P vocabulary', () => {
  const v = new G2PVocabulary();
  it('encodes words case-insensitively and phonemes to ids ≥ 3, and back', () => {
    expect(v.encodeWord('Paste')).toEqual([16, 1, 19, 20, 5]);
    expect(v.decodePhonemes(v.encodePhonemes(['P', 'EY', 'S', 'T']))).toEqual(['P', 'EY', 'S', 'T']);
    expect(v.encodePhonemes(['P', 'EY', 'S', 'T'])).toEqual([29, 15, 31, 33]);
    expect(v.sourceVocabSize).toBe(28);
    expect(v.targetVocabSize).toBe(42);
  });
  it('rejects empty words and characters outside a–z and the apostrophe with typed errors', () => {
    expect(() => v.encodeWord('')).toThrow(GraphemeError);
    expect(() => v.encodeWord('')).toThrow(expect.objectContaining({ code: 'GATED_G2P_EMPTY_WORD' }));
    expect(() => v.encodeWord('naïve')).toThrow(expect.objectContaining({ code: 'GATED_G2P_UNKNOWN_GRAPHEME', details: expect.objectContaining({ position: 2, character: 'ï' }) }));
    expect(() => v.encodePhonemes(['P', 'EY1'])).toThrow(PhonemeError);
    expect(() => v.decodePhonemes([2])).toThrow(/phoneme id in 3..41/);
  });
});

describe('G2P error rates', () => {
  it('edit distance counts substitutions, insertions and deletions', () => {
    expect(editDistance(['a', 'b', 'c'], ['a', 'c'])).toBe(1);
    expect(editDistance(['k', 'i', 't', 't', 'e', 'n'], ['s', 'i', 't', 't', 'i', 'n', 'g'])).toBe(3);
    expect(editDistance([], ['x', 'y'])).toBe(2);
  });
  it('scores against the closest of several references; a word is right when any reference matches', () => {
    const refs = [
      [['EH', 'R', 'AH', 'N'], ['AA', 'R', 'AH', 'N']],
      [['P', 'EY', 'S', 'T']],
      [['T', 'UW']],
    ];
    const r = g2pErrorRates([['AA', 'R', 'AH', 'N'], ['P', 'EH', 'S'], ['T', 'UW', 'W']], refs);
    // word 1: exact match of the second reference; word 2: 1 substitution + 1 deletion over 4; word 3: 1 insertion over 2.
    expect(r.phonemeErrors).toBe(3);
    expect(r.referencePhonemes).toBe(4 + 4 + 2);
    expect(r.per).toBeCloseTo(0.3, 10);
    expect(r.wordErrors).toBe(2);
    expect(r.wer).toBeCloseTo(2 / 3, 10);
  });
  it('rejects mismatched lengths and words without references', () => {
    expect(() => g2pErrorRates([['A']], [])).toThrow(/1 entries/);
    expect(() => g2pErrorRates([['A']], [[]])).toThrow(/at least one reference/);
  });
});
