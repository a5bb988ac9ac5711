import { createReadStream } from './platform/node.js';
import { assertInteger, assertString, checkOptions } from '@gated/tensor';
import { EmptyCorpusError } from './errors.js';
import { completePrefixLength, findInvalidUtf8, invalidUtf8 } from './internal/utf8.js';
import { READ_TEXT_SPEC } from './option-specs.js';

/** Options of {@link readTextFile}. */
export interface ReadTextOptions {
  /** Bytes read at a time. Default 1 MiB. */
  readonly chunkSize?: number;
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Streams a UTF-8 text file as string chunks (a leading BOM dropped), holding one chunk in memory at a time, so
 * files larger than memory can be fitted ({@link CharTokenizer.fitAsync}) and encoded
 * ({@link Tokenizer.encodeStream}). A chunk never ends inside a character. Invalid UTF-8 throws an
 * InvalidUtf8Error naming the file, line and byte; an empty file throws an EmptyCorpusError.
 *
 * @example
 * for await (const chunk of readTextFile('corpus.txt')) count += chunk.length;
 */
export async function* readTextFile(path: string, options: ReadTextOptions = {}): AsyncGenerator<string> {
  checkOptions('readTextFile', options, READ_TEXT_SPEC);
  assertString('readTextFile path', path);
  const chunkSize = options.chunkSize ?? 1 << 20;
  assertInteger('chunkSize', chunkSize, 4);
  let carry = new Uint8Array(0);
  let offset = 0; // file offset of carry[0]
  let line = 1;
  let first = true;
  let any = false;
  for await (const buf of createReadStream(path, { highWaterMark: chunkSize })) {
    let bytes: Uint8Array = carry.length === 0 ? (buf as Buffer) : Buffer.concat([carry, buf as Buffer]);
    if (first && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      bytes = bytes.subarray(3);
      offset = 3;
    }
    if (first && bytes.length < 3 && bytes.length > 0 && bytes[0] === 0xef) {
      carry = Uint8Array.from(bytes); // too short to tell a BOM; wait for more
      continue;
    }
    first = false;
    const end = completePrefixLength(bytes);
    const part = bytes.subarray(0, end);
    let text: string;
    try {
      text = strict.decode(part);
    } catch {
      throw invalidUtf8(path, part, Math.max(findInvalidUtf8(part), 0), offset, line);
    }
    for (let i = 0; i < part.length; i++) if (part[i] === 0x0a) line++;
    offset += end;
    carry = Uint8Array.from(bytes.subarray(end));
    if (text.length > 0) {
      any = true;
      yield text;
    }
  }
  if (carry.length > 0) {
    const at = findInvalidUtf8(carry);
    if (at >= 0) throw invalidUtf8(path, carry, at, offset, line);
    any = true;
    yield strict.decode(carry);
  }
  if (!any) throw new EmptyCorpusError({ file: path });
}

/** One line of a text file: its text (without `\n` or `\r\n`) and 1-based line number. */
export interface TextLine {
  readonly text: string;
  readonly line: number;
}

/** Streams the lines of a UTF-8 text file (see {@link readTextFile} for errors). */
export async function* readTextLines(path: string, options: ReadTextOptions = {}): AsyncGenerator<TextLine> {
  checkOptions('readTextLines', options, READ_TEXT_SPEC);
  let pending = '';
  let line = 1;
  for await (const chunk of readTextFile(path, options)) {
    const text = pending + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield { text: text.slice(start, end), line: line++ };
      start = nl + 1;
    }
    pending = text.slice(start);
  }
  if (pending.length > 0) yield { text: pending.endsWith('\r') ? pending.slice(0, -1) : pending, line };
}
