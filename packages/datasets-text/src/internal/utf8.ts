import { InvalidUtf8Error } from '../errors.js';

/** Offset of the first byte that starts an invalid UTF-8 sequence (truncated, overlong, surrogate, > U+10FFFF), or -1. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= n) return i;
    const c = bytes[i + 1]!;
    if (c < lo || c > hi) return i;
    for (let k = 2; k <= need; k++) {
      const d = bytes[i + k]!;
      if (d < 0x80 || d > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Length of the longest prefix of `bytes` that does not end inside a multi-byte sequence. */
export function completePrefixLength(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(4, n); back++) {
    const b = bytes[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return back < need ? n - back : n;
  }
  return n;
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');

/** The InvalidUtf8Error for `bytes` (which start at byte `offset` of `file`, on line `line`) failing at `at`. */
export function invalidUtf8(file: string, bytes: Uint8Array, at: number, offset: number, line: number): InvalidUtf8Error {
  let l = line;
  for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) l++;
  return new InvalidUtf8Error(file, l, offset + at, hex(bytes.subarray(at, Math.min(at + 4, bytes.length))));
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes a whole file's bytes as strict UTF-8 (a leading BOM dropped), or throws an InvalidUtf8Error with its line. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return strict.decode(body);
  } catch {
    const at = findInvalidUtf8(body);
    throw invalidUtf8(file, body, Math.max(at, 0), bytes.length - body.length, 1);
  }
}
