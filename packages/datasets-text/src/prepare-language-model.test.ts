import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { bitsPerCharacter } from './metrics.js';
import { prepareLanguageModel } from './prepare-language-model.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('prepareLanguageModel', () => {
  const text = `${'the whale swam in the sea . '.repeat(80)}ahab hunted the whale . ${'the sea was calm . '.repeat(10)}`;

  it('fits a word tokenizer on the training range only and reports characters per range for bits per character', () => {
    const lm = prepareLanguageModel(text, { seqLen: 8, batchSize: 2, evalBatchSize: 2, tokenizer: 'word', split: { train: 0.8, validation: 0.1, test: 0.1 } });
    expect(lm.tokenizer.kind).toBe('word');
    expect(lm.tokenizer.vocab.id('ahab')).toBeUndefined(); // appears only after the training range
    expect(lm.characters.train + lm.characters.validation + lm.characters.test).toBe(text.length);
    const tokens = lm.ids.test.length;
    expect(bitsPerCharacter(1, { tokens, characters: lm.characters.test })).toBeCloseTo((tokens / lm.characters.test) / Math.LN2, 12);
  });

  it('passes an already fitted tokenizer through unchanged', () => {
    const first = prepareLanguageModel(text, { seqLen: 8, batchSize: 2 });
    const again = prepareLanguageModel(text.toUpperCase(), { seqLen: 8, batchSize: 2, tokenizer: first.tokenizer });
    expect(again.tokenizer).toBe(first.tokenizer);
    expect(again.ids.train.every((id) => id === first.tokenizer.vocab.unkId || first.tokenizer.vocab.tokens[id] === ' ' || first.tokenizer.vocab.tokens[id] === '.')).toBe(true);
  });
});
