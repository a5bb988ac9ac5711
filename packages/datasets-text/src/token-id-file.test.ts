import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer.js';
import { InvalidUtf8Error, UnknownTokenError } from './errors.js';
import { readTextFile } from './read-text-file.js';
import { encodeTextFile, readTokenIds } from './token-id-file.js';
import { WordTokenizer } from './word-tokenizer.js';

const dir = mkdtempSync(join(tmpdir(), 'gated-text-ids-'));

describe('encodeTextFile', () => {
  it('tokenizes a file streamed in small chunks to the same ids as encoding it whole', async () => {
    const text = 'The whale 🐋 — white.\nCall me Ishmael.\n'.repeat(40);
    const input = join(dir, 'book.txt');
    writeFileSync(input, text);
    const chars = await CharTokenizer.fitAsync(readTextFile(input, { chunkSize: 16 }));
    const out = join(dir, 'book.char.ids');
    expect(await encodeTextFile(chars, input, out, { chunkSize: 16 })).toBe(chars.encode(text).length);
    expect(Array.from(await readTokenIds(out))).toEqual(Array.from(chars.encode(text)));
    const words = WordTokenizer.fit(text);
    const wordsOut = join(dir, 'book.word.ids');
    await encodeTextFile(words, input, wordsOut, { chunkSize: 16 });
    expect(Array.from(await readTokenIds(wordsOut))).toEqual(Array.from(words.encode(text)));
  });

  it('leaves nothing half-written when the input turns out to be invalid UTF-8 midway', async () => {
    const input = join(dir, 'bad.txt');
    writeFileSync(input, Buffer.concat([Buffer.from('abc\n'.repeat(100)), Buffer.from([0xc3, 0x28])]));
    const tok = CharTokenizer.fit('abc\n');
    const out = join(dir, 'bad.ids');
    await expect(encodeTextFile(tok, input, out, { chunkSize: 8 })).rejects.toThrow(InvalidUtf8Error);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('bad.ids'))).toEqual([]);
  });

  it('keeps an existing cache untouched when encoding fails on an unknown token', async () => {
    const input = join(dir, 'strange.txt');
    writeFileSync(input, 'aaaa\nbbbb\naaZa\n');
    const tok = CharTokenizer.fit('ab\n', { specials: [] });
    const out = join(dir, 'strange.ids');
    writeFileSync(out, 'previous');
    const error = (await encodeTextFile(tok, input, out, { chunkSize: 4 }).catch((e: unknown) => e)) as UnknownTokenError;
    expect(error).toBeInstanceOf(UnknownTokenError);
    expect(error.details).toMatchObject({ token: 'Z', line: 3, file: input });
    expect(readFileSync(out, 'utf8')).toBe('previous');
  });
});
