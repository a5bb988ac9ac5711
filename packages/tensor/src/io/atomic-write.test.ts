import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gated-atomic-'));
    const path = join(dir, 'a.txt');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['a.txt']);
  });

  it('leaves the old file untouched and cleans up when the write fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gated-atomic-'));
    const path = join(dir, 'a.txt');
    await writeFile(path, 'old');
    // Renaming a file over a non-empty directory fails after the temp file is written.
    const blocked = join(dir, 'sub');
    await writeFileAtomic(join(blocked, 'x'), 'x');
    await expect(writeFileAtomic(blocked, 'data')).rejects.toThrow();
    expect(await readFile(path, 'utf8')).toBe('old');
    expect((await readdir(dir)).sort()).toEqual(['a.txt', 'sub']);
  });
});
