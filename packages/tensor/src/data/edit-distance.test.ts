import { describe, expect, it } from 'vitest';
import { editDistance, typoDistance } from './edit-distance.js';

describe('editDistance', () => {
  it('counts the substitutions, insertions and deletions between two sequences (Levenshtein)', () => {
    expect(editDistance(['a', 'b'], ['a', 'b'])).toBe(0);
    expect(editDistance([7, 8, 9, 10], [7, 9, 10])).toBe(1);
    expect(editDistance([1, 2], [])).toBe(2);
    expect(editDistance('flaw', 'lawn')).toBe(2);
    expect(editDistance('intention', 'execution')).toBe(5);
    expect(editDistance(Int32Array.from([1, 2, 3]), Int32Array.from([3, 2, 1]))).toBe(2);
  });

  it('counts a swap of neighbours as two edits, where the typo distance counts one', () => {
    expect(editDistance('ab', 'ba')).toBe(2);
    expect(typoDistance('ab', 'ba')).toBe(1);
    expect(typoDistance('lenghts', 'lengths')).toBe(1);
    expect(typoDistance('kitten', 'sitting')).toBe(3);
    expect(typoDistance('ca', 'abc')).toBe(3);
  });
});
