import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OutputPathError } from './errors.js';

const reason = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${(error as Error).message.replace(/^[A-Z]+: /, '').replace(/, [a-z]+ '.*'$/, '')}` : String(error);
};

/**
 * Makes sure `dir` is a folder this process can write to (creating it if missing) by writing and removing a probe
 * file, so a run learns it before training rather than at its first checkpoint.
 */
export async function ensureWritableDir(dir: string, flag: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new OutputPathError(flag, dir, 'a folder that can be created', reason(error), error);
  }
  const probe = join(dir, `.gated-write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(probe, '');
  } catch (error) {
    throw new OutputPathError(flag, dir, 'a writable folder', reason(error), error);
  } finally {
    await rm(probe, { force: true });
  }
}

/** Makes sure `file` can be written: not an existing folder, and its folder writable (created if missing). */
export async function ensureWritableFile(file: string, flag: string): Promise<void> {
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) throw new OutputPathError(flag, file, 'a file path', 'a directory');
  await ensureWritableDir(dirname(file), flag);
}
