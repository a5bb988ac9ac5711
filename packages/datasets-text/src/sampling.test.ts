import { initBackend, Rng } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer.js';
import { generateText, recurrentStepper, sampleFromLogits, sampleTokens } from './sampling.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const logits = [2, 1, 0.5, -1];
const softmax = (z: number[], t: number) => {
  const e = z.map((v) => Math.exp(v / t));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const frequencies = (draw: () => number, n: number, V: number) => {
  const f = new Array<number>(V).fill(0);
  for (let i = 0; i < n; i++) f[draw()]! += 1 / n;
  return f;
};

describe('sampleFromLogits', () => {
  it('draws tokens with the probabilities softmax(logits / temperature)', () => {
    for (const temperature of [1, 0.5, 2]) {
      const rng = new Rng(1);
      const f = frequencies(() => sampleFromLogits(logits, { temperature }, rng), 40_000, 4);
      softmax(logits, temperature).forEach((p, i) => {
        expect(Math.abs(f[i]! - p)).toBeLessThan(0.01);
      });
    }
  });

  it('samples only among the top k, renormalized', () => {
    const rng = new Rng(2);
    const f = frequencies(() => sampleFromLogits(logits, { topK: 2 }, rng), 20_000, 4);
    const p = softmax([2, 1], 1);
    expect(f[2]).toBe(0);
    expect(f[3]).toBe(0);
    expect(Math.abs(f[0]! - p[0]!)).toBeLessThan(0.015);
  });

  it('takes the most likely token at temperature 0', () => {
    expect(sampleFromLogits([0.1, 3, 0.2], { temperature: 0 }, new Rng(0))).toBe(1);
  });
});

// A bigram "language model": the next token's logits depend only on the last token fed.
const bigram = (table: number[][]) => (ids: Int32Array) => table[ids[ids.length - 1]!]!;

describe('sampleTokens', () => {
  it('is reproducible from the seed and changes with it', async () => {
    const step = bigram([
      [0, 1, 1],
      [1, 0, 1],
      [1, 1, 0],
    ]);
    const a = await sampleTokens(step, [0], { maxTokens: 30, seed: 5 });
    expect(Array.from(await sampleTokens(step, [0], { maxTokens: 30, seed: 5 }))).toEqual(Array.from(a));
    expect(Array.from(await sampleTokens(step, [0], { maxTokens: 30, seed: 6 }))).not.toEqual(Array.from(a));
  });

  it('stops after a stop token', async () => {
    const step = bigram([[0, 9, 0], [0, 0, 9], [9, 0, 0]]); // 0 → 1 → 2 → 0 …
    expect(Array.from(await sampleTokens(step, [0], { maxTokens: 10, temperature: 0, stopTokens: [2] }))).toEqual([1, 2]);
  });
});

describe('generateText with recurrentStepper', () => {
  const text = 'call me ishmael. ';
  const tok = CharTokenizer.fit(text);
  const V = tok.vocabSize;
  const ids = Array.from(tok.encode(text));
  // A fake recurrent model whose state is the position in `text`; it predicts the following character.
  const model = {
    calls: 0,
    forward(x: tf.Tensor2D, options: { initialState?: { hidden: tf.Tensor }; training?: boolean }) {
      this.calls++;
      const fed = Array.from(x.dataSync());
      let pos = options.initialState === undefined ? -1 : options.initialState.hidden.dataSync()[0]!;
      const rows: number[][] = [];
      for (const id of fed) {
        pos = pos < 0 ? ids.indexOf(id) : (pos + 1) % ids.length;
        expect(ids[pos]).toBe(id);
        const row = new Array<number>(V).fill(-5);
        row[ids[(pos + 1) % ids.length]!] = 5;
        rows.push(row);
      }
      return { output: tf.tensor3d([rows]), state: { hidden: tf.scalar(pos) } };
    },
  };

  it('continues a prompt through the model state, deterministically at temperature 0, leaking no tensors', async () => {
    const stepper = recurrentStepper(model);
    const before = tf.memory().numTensors;
    const out = await generateText(stepper, tok, { prompt: 'call ', maxTokens: 12, temperature: 0 });
    stepper.dispose();
    expect(out.text).toBe('me ishmael. ');
    expect(model.calls).toBe(12); // the prompt once, then one call per generated token but the last
    expect(tf.memory().numTensors).toBe(before);
  });

  it('starts from <bos> for an empty prompt and rejects one without <bos>', async () => {
    const seen: number[] = [];
    const step = (x: Int32Array) => {
      seen.push(...x);
      return new Array<number>(V).fill(0);
    };
    await generateText(step, tok, { maxTokens: 3, seed: 1 });
    expect(seen[0]).toBe(tok.vocab.bosId);
    const noBos = CharTokenizer.fit(text, { specials: ['<pad>'] });
    await expect(generateText(step, noBos, { maxTokens: 3 })).rejects.toThrow(/no <bos>/);
  });
});
