import { readFile } from './platform/node.js';
import { TextRecordError } from './errors.js';
import { writeStreamAtomic } from './internal/atomic-stream.js';
import { readTextFile, type ReadTextOptions } from './read-text-file.js';
import type { Tokenizer } from './tokenizer.js';
import { checkOptions } from '@gated/tensor';
import { READ_TEXT_SPEC } from './option-specs.js';

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function toBytes(ids: Int32Array): Uint8Array {
  if (littleEndian) return new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength);
  const out = new DataView(new ArrayBuffer(ids.byteLength));
  for (let i = 0; i < ids.length; i++) out.setInt32(i * 4, ids[i]!, true);
  return new Uint8Array(out.buffer);
}

/**
 * Writes a stream of token id arrays to `path` as raw little-endian int32 (no header), atomically: if the stream
 * fails (invalid UTF-8, an unknown token), nothing is left at `path` — no half-written cache. Returns the number
 * of tokens written.
 */
export async function writeTokenIds(path: string, ids: AsyncIterable<Int32Array> | Iterable<Int32Array>): Promise<number> {
  async function* bytes(): AsyncGenerator<Uint8Array> {
    for await (const chunk of ids) yield toBytes(chunk);
  }
  return (await writeStreamAtomic(path, bytes())) / 4;
}

/** Reads a file written by {@link writeTokenIds}. */
export async function readTokenIds(path: string): Promise<Int32Array> {
  const bytes = await readFile(path);
  if (bytes.byteLength % 4 !== 0) throw new TextRecordError({ file: path }, 'a whole number of int32 token ids', `${bytes.byteLength} bytes`);
  const out = new Int32Array(bytes.byteLength / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}

/**
 * Tokenizes a text file of any size into a token id file, streaming both (see {@link readTextFile},
 * {@link writeTokenIds}): only one chunk is in memory at a time. Returns the number of tokens.
 *
 * @example
 * const tok = await CharTokenizer.fitAsync(readTextFile('train.txt'));
 * await encodeTextFile(tok, 'train.txt', 'cache/train.ids');
 */
export async function encodeTextFile(tokenizer: Tokenizer, input: string, output: string, options: ReadTextOptions = {}): Promise<number> {
  checkOptions('encodeTextFile', options, READ_TEXT_SPEC);
  return writeTokenIds(output, tokenizer.encodeStream(readTextFile(input, options), { source: input }));
}
