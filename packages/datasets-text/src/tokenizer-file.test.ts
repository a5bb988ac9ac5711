import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer.js';
import { VocabularyFileError } from './errors.js';
import { loadTokenizer, saveTokenizer } from './tokenizer-file.js';
import { WordTokenizer } from './word-tokenizer.js';

const dir = mkdtempSync(join(tmpdir(), 'gated-text-vocab-'));

describe('saveTokenizer / loadTokenizer', () => {
  it('round-trips a char tokenizer through JSON with a version field', async () => {
    const tok = CharTokenizer.fit('Ahab 🐋', { lowercase: true, specials: ['<pad>', '<unk>'] });
    const path = join(dir, 'char.json');
    await saveTokenizer(path, tok);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    expect(json).toMatchObject({ format: 'gated-tokenizer', version: 1, kind: 'char', lowercase: true });
    const back = await loadTokenizer(path);
    expect(back).toBeInstanceOf(CharTokenizer);
    expect(back.vocab.tokens).toEqual(tok.vocab.tokens);
    expect(Array.from(back.encode('AHAB 🐋!'))).toEqual(Array.from(tok.encode('AHAB 🐋!')));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('round-trips a word tokenizer with its options', async () => {
    const tok = WordTokenizer.fit('Call me Ishmael, call me.', { splitPunctuation: false, lowercase: false, normalization: 'none' });
    const path = join(dir, 'word.json');
    await saveTokenizer(path, tok);
    const back = await loadTokenizer(path);
    expect(back).toBeInstanceOf(WordTokenizer);
    expect((back as WordTokenizer).splitPunctuation).toBe(false);
    expect(back.tokenize('Call me,')).toEqual(['Call', 'me,']);
    expect(Array.from(back.encode('Call me.'))).toEqual(Array.from(tok.encode('Call me.')));
  });

  it('rejects a file of another format version, naming the file', async () => {
    const path = join(dir, 'v2.json');
    writeFileSync(path, JSON.stringify({ ...CharTokenizer.fit('ab').toJSON(), version: 2 }));
    const error = await loadTokenizer(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VocabularyFileError);
    expect((error as VocabularyFileError).code).toBe('GATED_TEXT_VOCAB_VERSION');
    expect((error as VocabularyFileError).message).toContain(path);
    expect((error as VocabularyFileError).message).toContain('version 2');
  });

  it('rejects malformed files: not JSON, a repeated token, a multi-character char token', async () => {
    const bad = async (name: string, content: string): Promise<string> => {
      const path = join(dir, name);
      writeFileSync(path, content);
      const error = (await loadTokenizer(path).catch((e: unknown) => e)) as VocabularyFileError;
      expect(error).toBeInstanceOf(VocabularyFileError);
      expect(error.message).toContain(path);
      return error.code;
    };
    const base = CharTokenizer.fit('ab').toJSON();
    expect(await bad('garbage.json', '{"format": "gated-tok')).toBe('GATED_TEXT_VOCAB_FORMAT');
    expect(await bad('repeat.json', JSON.stringify({ ...base, tokens: [...base.tokens, 'a'] }))).toBe('GATED_TEXT_VOCAB_FORMAT');
    expect(await bad('long.json', JSON.stringify({ ...base, tokens: [...base.tokens, 'xy'] }))).toBe('GATED_TEXT_VOCAB_FORMAT');
    expect(await bad('kind.json', JSON.stringify({ ...base, kind: 'bpe' }))).toBe('GATED_TEXT_VOCAB_FORMAT');
  });
});
