import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmptyCorpusError, InvalidUtf8Error } from './errors.js';
import { readTextFile, readTextLines } from './read-text-file.js';

const dir = mkdtempSync(join(tmpdir(), 'gated-text-read-'));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('readTextFile', () => {
  it('streams a file in chunks that never split a character, reassembling it exactly', async () => {
    const text = 'Whale — “Moby” 🐋 naïve\n'.repeat(50);
    const path = join(dir, 'utf8.txt');
    writeFileSync(path, text);
    for (const chunkSize of [4, 5, 7, 64]) {
      const chunks = await collect(readTextFile(path, { chunkSize }));
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.join('')).toBe(text);
    }
  });

  it('drops a UTF-8 byte order mark', async () => {
    const path = join(dir, 'bom.txt');
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('hi')]));
    expect((await collect(readTextFile(path, { chunkSize: 4 }))).join('')).toBe('hi');
  });

  it('rejects invalid UTF-8 naming the file, line and byte', async () => {
    const path = join(dir, 'latin1.txt');
    writeFileSync(path, Buffer.concat([Buffer.from('line one\nline two\nna'), Buffer.from([0xef, 0x76]), Buffer.from('e\n')]));
    for (const chunkSize of [4, 1024]) {
      const error = (await collect(readTextFile(path, { chunkSize })).catch((e: unknown) => e)) as InvalidUtf8Error;
      expect(error).toBeInstanceOf(InvalidUtf8Error);
      expect(error.details).toMatchObject({ file: path, line: 3, byteOffset: 20 });
      expect(error.message).toContain(`${path}:3`);
    }
  });

  it('rejects a file cut inside a multi-byte character', async () => {
    const path = join(dir, 'cut.txt');
    writeFileSync(path, Buffer.from([0x61, 0xe2, 0x80]));
    await expect(collect(readTextFile(path))).rejects.toThrow(InvalidUtf8Error);
  });

  it('rejects an empty file as an empty corpus', async () => {
    const path = join(dir, 'empty.txt');
    writeFileSync(path, '');
    await expect(collect(readTextFile(path))).rejects.toThrow(EmptyCorpusError);
  });

  it('reads lines with their numbers, CRLF or LF, across chunk boundaries', async () => {
    const path = join(dir, 'lines.txt');
    writeFileSync(path, 'alpha\r\nbeta\n\ngamma');
    const lines = await collect(readTextLines(path, { chunkSize: 4 }));
    expect(lines).toEqual([
      { text: 'alpha', line: 1 },
      { text: 'beta', line: 2 },
      { text: '', line: 3 },
      { text: 'gamma', line: 4 },
    ]);
  });
});
