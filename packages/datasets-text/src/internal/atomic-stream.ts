import { basename, dirname, join, mkdir, open, pid, randomBytes, rename, rm } from '../platform/node.js';

/**
 * Streams chunks into `path` through a temporary file beside it, renamed over `path` only once every chunk is
 * written and flushed. If the source throws, the temporary file is removed and `path` is left as it was.
 */
export async function writeStreamAtomic(path: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<number> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${pid()}.${randomBytes(6).toString('hex')}.tmp`);
  let bytes = 0;
  try {
    const handle = await open(temp, 'w');
    try {
      for await (const chunk of chunks) {
        await handle.write(chunk);
        bytes += chunk.byteLength;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    return bytes;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
