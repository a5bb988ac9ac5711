import { describe, expect, it } from 'vitest';
import { ArgumentError } from './errors.js';
import { assertInteger, assertNumberInRange, assertShape } from './shape-check.js';

describe('argument checks', () => {
  it('accept a matching shape with wildcards', () => {
    expect(() => assertShape('x', [4, 7, 3], [null, null, 3])).not.toThrow();
  });

  it('name the argument, the expected and the actual shape', () => {
    try {
      assertShape('x', [4, 7, 5], [null, null, 3]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).message).toBe('x: expected shape [?, ?, 3], got shape [4, 7, 5]');
      expect((error as ArgumentError).details).toEqual({ argument: 'x', expected: 'shape [?, ?, 3]', actual: 'shape [4, 7, 5]' });
    }
    expect(() => assertShape('h0', [2, 3], [1, 2, 3])).toThrow('h0: expected shape [1, 2, 3], got shape [2, 3]');
  });

  it('check integers and ranges', () => {
    expect(() => assertInteger('hiddenSize', 0, 1)).toThrow('hiddenSize: expected an integer in 1..∞, got 0');
    expect(() => assertInteger('numLayers', 2.5)).toThrow(/numLayers/);
    expect(() => assertNumberInRange('dropout', 1.5, 0, 1)).toThrow('dropout: expected a number in [0, 1], got 1.5');
    expect(() => assertNumberInRange('dropout', Number.NaN, 0, 1)).toThrow(/got NaN/);
    expect(() => assertNumberInRange('dropout', 0.2, 0, 1)).not.toThrow();
  });
});
