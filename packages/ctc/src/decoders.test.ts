import * as tf from '@tensorflow/tfjs-core';
import { Rng, initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { ctcLoss, editDistance, errorRates, greedyDecode, prefixBeamSearch } from './index.js';

/** Random log-softmax rows [T, 1, C] as a plain buffer. */
function randomLogProbs(rng: Rng, T: number, C: number, sharp: number): Float32Array {
  const out = new Float32Array(T * C);
  for (let t = 0; t < T; t++) {
    const row = rng.normalArray(C, 0, sharp);
    const m = Math.max(...row);
    const z = Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)) + m;
    for (let c = 0; c < C; c++) out[t * C + c] = row[c]! - z;
  }
  return out;
}

function collapse(path: readonly number[], blank: number): number[] {
  const out: number[] = [];
  path.forEach((c, i) => {
    if (c !== blank && c !== path[i - 1]) out.push(c);
  });
  return out;
}

/** Every alignment of T frames over C classes: the best path, and the total log-probability of each label sequence. */
function bruteForce(lp: Float32Array, T: number, C: number, blank: number) {
  const totals = new Map<string, { tokens: number[]; p: number }>();
  let best = { path: [] as number[], score: Number.NEGATIVE_INFINITY };
  const path = new Array<number>(T).fill(0);
  for (let code = 0; code < C ** T; code++) {
    let rest = code;
    let score = 0;
    for (let t = 0; t < T; t++) {
      path[t] = rest % C;
      rest = Math.floor(rest / C);
      score += lp[t * C + path[t]!]!;
    }
    if (score > best.score) best = { path: [...path], score };
    const tokens = collapse(path, blank);
    const key = tokens.join(',');
    const entry = totals.get(key) ?? { tokens, p: 0 };
    entry.p += Math.exp(score);
    totals.set(key, entry);
  }
  return { best, totals };
}

describe('CTC decoders agree with brute-force enumeration of every alignment', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  const shapes = [
    { T: 5, C: 3, blank: 0 },
    { T: 6, C: 3, blank: 2 },
    { T: 4, C: 4, blank: 1 },
    { T: 7, C: 3, blank: 0 },
  ];
  for (const [i, s] of shapes.entries()) {
    it(`greedy is the best path and a full-width beam gives the exact label-sequence probabilities (T=${s.T}, C=${s.C}, blank ${s.blank})`, () => {
      for (let trial = 0; trial < 5; trial++) {
        const rng = new Rng(100 * i + trial);
        const lp = randomLogProbs(rng, s.T, s.C, trial % 2 === 0 ? 1 : 3);
        const { best, totals } = bruteForce(lp, s.T, s.C, s.blank);
        const input = { data: lp, shape: [s.T, 1, s.C] };
        const [greedy] = greedyDecode(input, undefined, { blank: s.blank });
        expect(greedy!.tokens).toEqual(collapse(best.path, s.blank));
        expect(greedy!.score).toBeCloseTo(best.score, 5);

        const ranked = [...totals.values()].sort((a, b) => b.p - a.p);
        const [hyps] = prefixBeamSearch(input, undefined, { blank: s.blank, beamWidth: 10_000, nBest: ranked.length });
        expect(hyps!.length).toBe(ranked.length);
        expect(hyps![0]!.tokens).toEqual(ranked[0]!.tokens);
        for (const h of hyps!) expect(h.score).toBeCloseTo(Math.log(totals.get(h.tokens.join(','))!.p), 6);
        // The same probability as exp(−CTC loss) of that label sequence.
        const tensor = tf.tensor3d(lp, [s.T, 1, s.C]);
        if (hyps![0]!.tokens.length > 0) {
          const loss = ctcLoss(tensor, [hyps![0]!.tokens], [s.T], undefined, { blank: s.blank, reduction: 'sum' });
          expect(-loss.dataSync()[0]!).toBeCloseTo(hyps![0]!.score, 5);
          loss.dispose();
        }
        tensor.dispose();
      }
    });
  }

  it('a narrow beam still finds the most probable sequence on peaked outputs, and nBest is sorted', () => {
    const rng = new Rng(7);
    const T = 7;
    const C = 3;
    const lp = randomLogProbs(rng, T, C, 4);
    const { totals } = bruteForce(lp, T, C, 0);
    const top = [...totals.values()].sort((a, b) => b.p - a.p)[0]!;
    const [hyps] = prefixBeamSearch({ data: lp, shape: [T, 1, C] }, undefined, { beamWidth: 4, nBest: 3 });
    expect(hyps![0]!.tokens).toEqual(top.tokens);
    for (let k = 1; k < hyps!.length; k++) expect(hyps![k]!.score).toBeLessThanOrEqual(hyps![k - 1]!.score);
  });

  it('the tokenScore hook adds its terms per token: full-width search equals brute force rescored by the prior', () => {
    const T = 6;
    const C = 3;
    const lp = randomLogProbs(new Rng(11), T, C, 1);
    const { totals } = bruteForce(lp, T, C, 0);
    // A prior that dislikes label 2 after label 1 and rewards every token a little.
    const prior = (prefix: readonly number[], token: number): number => (prefix.at(-1) === 1 && token === 2 ? -3 : 0.25);
    const rescored = [...totals.values()].map(({ tokens, p }) => ({ tokens, score: Math.log(p) + tokens.reduce((s, tok, k) => s + prior(tokens.slice(0, k), tok), 0) }));
    rescored.sort((a, b) => b.score - a.score);
    const [hyps] = prefixBeamSearch({ data: lp, shape: [T, 1, C] }, undefined, { beamWidth: 10_000, nBest: 5, tokenScore: prior });
    hyps!.forEach((h, k) => {
      expect(h.tokens).toEqual(rescored[k]!.tokens);
      expect(h.score).toBeCloseTo(rescored[k]!.score, 6);
    });
  });

  it('decoders honour input lengths and the batch-first layout per batch item', () => {
    const T = 5;
    const C = 3;
    const a = randomLogProbs(new Rng(1), T, C, 3);
    const b = randomLogProbs(new Rng(2), T, C, 3);
    // Batch-first [2, T, C]: item 1 only uses its first 3 frames.
    const both = new Float32Array(2 * T * C);
    both.set(a, 0);
    both.set(b, T * C);
    const batched = greedyDecode({ data: both, shape: [2, T, C] }, [T, 3], { batchFirst: true });
    expect(batched[0]).toEqual(greedyDecode({ data: a, shape: [T, 1, C] })[0]);
    expect(batched[1]).toEqual(greedyDecode({ data: b.slice(0, 3 * C), shape: [3, 1, C] })[0]);
    const beams = prefixBeamSearch({ data: both, shape: [2, T, C] }, [T, 3], { batchFirst: true, beamWidth: 5 });
    expect(beams[1]).toEqual(prefixBeamSearch({ data: b.slice(0, 3 * C), shape: [3, 1, C] }, undefined, { beamWidth: 5 })[0]);
  });
});

describe('error rates', () => {
  it('edit distance counts substitutions, insertions and deletions', () => {
    expect(editDistance([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(editDistance([1, 2, 3], [1, 3])).toBe(1);
    expect(editDistance([1, 2, 3], [4, 1, 2, 3, 5])).toBe(2);
    expect(editDistance([], [1, 2])).toBe(2);
    expect(editDistance('kitten'.split(''), 'sitting'.split(''))).toBe(3);
  });

  it('token error rate is Σ edits / Σ reference length and sentence accuracy counts exact matches', () => {
    const r = errorRates([[1, 2, 3], [4], [5, 6]], [[1, 3], [4], [5, 6, 7, 8]]);
    expect(r.tokenErrorRate).toBeCloseTo(3 / 6, 12);
    expect(r.sentenceAccuracy).toBeCloseTo(1 / 3, 12);
    expect(() => errorRates([[1]], [])).toThrow(/as many hypotheses/);
  });
});
