import { basename, dirname, join, mkdir, open, pid, randomBytes, rename, rm } from './platform/node.js';
import { assertString } from './argument-check.js';
import { ArgumentError } from './errors.js';
import { describeValue } from './options.js';

/**
 * Writes `data` to `path` so that readers see either the old file or the whole new one, never a part:
 * the bytes go to a temporary file beside `path`, are flushed, then renamed over it. Creates missing folders.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  assertString('writeFileAtomic path', path);
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) throw new ArgumentError('writeFileAtomic data', 'a Uint8Array or string', describeValue(data));
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${pid()}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
