import { describe, expect, it } from 'vitest';
import { ArgumentError, GatedError } from './errors.js';
import { typoDistance as editDistance } from '../data/edit-distance.js';
import { OptionsError, checkOptions, nearest } from './options.js';

const SPEC = { hiddenSize: 'integer', missing: ['error', 'drop', 'ffill'], lengths: 'array', verbose: 'boolean' } as const;

function thrown(fn: () => unknown): OptionsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof OptionsError) return error;
    throw error;
  }
  throw new Error('expected an OptionsError');
}

describe('checkOptions', () => {
  it('returns a valid options object unchanged and accepts undefined options and undefined values', () => {
    const options = { hiddenSize: 8, missing: 'drop', verbose: undefined };
    expect(checkOptions('f', options, SPEC)).toBe(options);
    expect(checkOptions('f', undefined, SPEC)).toBeUndefined();
  });

  it('rejects an unknown key, naming the function and key, listing the valid keys and suggesting the near miss', () => {
    const error = thrown(() => checkOptions('new SequenceModel', { hidden_size: 8 }, SPEC));
    expect(error).toBeInstanceOf(GatedError);
    expect(error.code).toBe('GATED_UNKNOWN_OPTION');
    expect(error.details).toMatchObject({ where: 'new SequenceModel', key: 'hidden_size', problem: 'unknown', suggestion: '"hiddenSize"' });
    expect(error.message).toBe(
      'new SequenceModel: unknown option "hidden_size". Valid options: hiddenSize, missing, lengths, verbose. Did you mean "hiddenSize"?',
    );
  });

  it('suggests transpositions, a dropped letter and a longer stem, and nothing for an unrelated key', () => {
    expect(thrown(() => checkOptions('exportOnnx', { lenghts: [1] }, SPEC)).details.suggestion).toBe('"lengths"');
    expect(thrown(() => checkOptions('fit', { verbos: true }, SPEC)).details.suggestion).toBe('"verbose"');
    expect(thrown(() => checkOptions('readSeries', { missingValues: 'x' }, SPEC)).details.suggestion).toBe('"missing"');
    const unrelated = thrown(() => checkOptions('fit', { colour: 1 }, SPEC));
    expect(unrelated.details.suggestion).toBeNull();
    expect(unrelated.message).not.toContain('Did you mean');
  });

  it('rejects a value outside the enum, listing the valid values and suggesting the nearest', () => {
    const error = thrown(() => checkOptions('readSeries', { missing: 'fill' }, SPEC));
    expect(error.code).toBe('GATED_BAD_OPTION_VALUE');
    expect(error.message).toBe(`readSeries: option "missing" must be 'error' | 'drop' | 'ffill', got 'fill'. Did you mean 'ffill'?`);
  });

  it('rejects a value of the wrong kind', () => {
    expect(thrown(() => checkOptions('f', { hiddenSize: 2.5 }, SPEC)).message).toBe('f: option "hiddenSize" must be an integer, got 2.5.');
    expect(thrown(() => checkOptions('f', { verbose: 'yes' }, SPEC)).message).toBe(`f: option "verbose" must be a boolean, got 'yes'.`);
    expect(() => checkOptions('f', { lengths: new Int32Array(2) }, SPEC)).not.toThrow();
    expect(thrown(() => checkOptions('f', { lengths: 3 }, SPEC)).code).toBe('GATED_BAD_OPTION_VALUE');
  });

  it('does not treat inherited Object properties as known keys', () => {
    expect(thrown(() => checkOptions('f', { toString: 1 }, SPEC)).code).toBe('GATED_UNKNOWN_OPTION');
  });

  it('refuses options that are not an object with an ArgumentError', () => {
    for (const bad of [null, 3, 'x', [1]]) expect(() => checkOptions('f', bad, SPEC)).toThrow(ArgumentError);
  });
});

describe('nearest and editDistance', () => {
  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('lenghts', 'lengths')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('ignores case and underscores when comparing names', () => {
    expect(nearest('HIDDEN_SIZE', ['hiddenSize', 'numLayers'])).toBe('hiddenSize');
    expect(nearest('xyz', ['hiddenSize'])).toBeNull();
  });
});
