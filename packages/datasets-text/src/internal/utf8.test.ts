import { Rng } from '@gated/tensor';
import { describe, expect, it } from 'vitest';
import { completePrefixLength, findInvalidUtf8 } from './utf8.js';

const strict = new TextDecoder('utf-8', { fatal: true });
const valid = (b: Uint8Array): boolean => {
  try {
    strict.decode(b);
    return true;
  } catch {
    return false;
  }
};

describe('UTF-8 validation', () => {
  it('agrees with the WHATWG decoder on random byte strings, and the reported offset is the first bad one', () => {
    const rng = new Rng(11);
    const pieces = [[0x61], [0xc3, 0xa9], [0xe2, 0x80, 0x94], [0xf0, 0x9f, 0x90, 0x8b], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x80], [0xff]];
    for (let trial = 0; trial < 3000; trial++) {
      const bytes = Uint8Array.from(Array.from({ length: 1 + rng.int(6) }, () => pieces[rng.int(pieces.length)]!).flat());
      const at = findInvalidUtf8(bytes);
      expect(at === -1).toBe(valid(bytes));
      if (at >= 0) {
        expect(valid(bytes.subarray(0, at))).toBe(true);
      }
    }
  });

  it('never cuts inside a multi-byte character', () => {
    const bytes = new TextEncoder().encode('a—🐋é');
    for (let n = 0; n <= bytes.length; n++) {
      const cut = completePrefixLength(bytes.subarray(0, n));
      expect(valid(bytes.subarray(0, cut))).toBe(true);
      expect(n - cut).toBeLessThan(4);
    }
  });
});
