import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { beamSearch } from './beam-search.js';
import { type DecoderState, disposeState } from './decoder-state.js';
import { TokenSequenceError, UnknownOptionError } from './errors.js';
import { greedyDecode } from './greedy-decode.js';
import { Seq2Seq } from './seq2seq.js';
import { TARGET_SPECIALS } from './seq2seq-options.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** Every output sequence of at most maxLength tokens, scored as beam search scores them; the best one. */
function exhaustive(model: Seq2Seq, source: number[], maxLength: number, lengthPenalty: number): { tokens: number[]; score: number; finished: boolean } {
  const encoded = model.encode([source]);
  const V = model.config.targetVocabSize;
  let best = { tokens: [] as number[], score: Number.NEGATIVE_INFINITY, finished: false };
  const consider = (tokens: number[], logProb: number, steps: number, finished: boolean) => {
    const score = logProb / steps ** lengthPenalty;
    if (score > best.score) best = { tokens, score, finished };
  };
  const visit = (tokens: number[], logProb: number, state: DecoderState) => {
    const step = model.decodeStep([tokens[tokens.length - 1] ?? TARGET_SPECIALS.bos], state, encoded.memory);
    const logp = model.logProbabilities(step.logits);
    const lp = logp.dataSync();
    tf.dispose([logp, step.logits, step.attention ?? []]);
    for (let id = TARGET_SPECIALS.eos; id < V; id++) {
      const total = logProb + lp[id]!;
      if (id === TARGET_SPECIALS.eos) consider(tokens, total, tokens.length + 1, true);
      else if (tokens.length + 1 === maxLength) consider([...tokens, id], total, maxLength, false);
      else visit([...tokens, id], total, step.state);
    }
    disposeState(step.state);
  };
  visit([], 0, encoded.state);
  encoded.dispose();
  return best;
}

describe('beam search', () => {
  for (const lengthPenalty of [0, 1]) {
    for (const [kind, attention] of [
      ['lstm', 'general'],
      ['gru', 'additive'],
      ['lstm', 'none'],
    ] as const) {
      it(`equals exhaustive search on a 3-token vocabulary up to 4 tokens (${kind}, ${attention} attention, lengthPenalty ${lengthPenalty})`, () => {
        const model = new Seq2Seq({ kind, attention, sourceVocabSize: 5, targetVocabSize: 6, hiddenSize: 8, embeddingDim: 4, seed: 3 });
        // Large weights make the distributions peaked and different per source, so the searches have something to find.
        for (const v of Object.values(model.parameters())) v.assign(tf.tidy(() => tf.mul(v, 3)));
        const before = tf.memory().numTensors;
        for (const source of [[1, 2, 3], [4], [2, 2, 1, 4, 3]]) {
          const truth = exhaustive(model, source, 4, lengthPenalty);
          // 3 real tokens + EOS: at most 27 live hypotheses × 4 extensions, so width 108 keeps every extension.
          const [result] = beamSearch(model, [source], { beamWidth: 108, maxLength: 4, lengthPenalty });
          expect(result!.best.tokens).toEqual(truth.tokens);
          expect(result!.best.finished).toBe(truth.finished);
          expect(result!.best.score).toBeCloseTo(truth.score, 4);
        }
        expect(tf.memory().numTensors).toBe(before);
        model.dispose();
      });
    }
  }

  it('with width 1 returns the greedy output, batches search like single sources, and hypotheses come best first', () => {
    const model = new Seq2Seq({ kind: 'gru', attention: 'dot', sourceVocabSize: 7, targetVocabSize: 9, hiddenSize: 8, seed: 1 });
    for (const v of Object.values(model.parameters())) v.assign(tf.tidy(() => tf.mul(v, 2)));
    const sources = [[1, 2, 3, 4], [6, 5], [3]];
    const greedy = greedyDecode(model, sources, { maxLength: 12 });
    const beams = beamSearch(model, sources, { beamWidth: 1, maxLength: 12 });
    beams.forEach((b, i) => {
      expect(b.best.tokens).toEqual(greedy[i]!.tokens);
      expect(b.best.logProb).toBeCloseTo(greedy[i]!.logProb, 4);
    });
    // A padded batch of sources is searched exactly as each source alone.
    const before = tf.memory().numTensors;
    const batched = beamSearch(model, sources, { beamWidth: 3, maxLength: 12, lengthPenalty: 0.5 });
    sources.forEach((s, i) => {
      const [alone] = beamSearch(model, [s], { beamWidth: 3, maxLength: 12, lengthPenalty: 0.5 });
      expect(batched[i]!.hypotheses.map((h) => h.tokens)).toEqual(alone!.hypotheses.map((h) => h.tokens));
      expect(batched[i]!.best.score).toBeCloseTo(alone!.best.score, 4);
      expect(batched[i]!.best.attention[0]).toHaveLength(s.length);
    });
    expect(tf.memory().numTensors).toBe(before);
    const [wide] = beamSearch(model, [sources[0]!], { beamWidth: 4, maxLength: 12 });
    const scores = wide!.hypotheses.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(wide!.best.score).toBeGreaterThanOrEqual(greedy[0]!.score - 1e-5);
    model.dispose();
  });
});

describe('greedy decoding', () => {
  it('decodes a padded batch exactly as each row alone, with attention rows over the valid source positions', () => {
    const model = new Seq2Seq({ kind: 'lstm', attention: 'additive', sourceVocabSize: 7, targetVocabSize: 9, hiddenSize: 8, numLayers: 2, seed: 2 });
    for (const v of Object.values(model.parameters())) v.assign(tf.tidy(() => tf.mul(v, 2)));
    const sources = [[1, 2, 3, 4, 5, 6], [6, 5], [3, 3, 3]];
    const before = tf.memory().numTensors;
    const batch = greedyDecode(model, sources, { maxLength: 10 });
    sources.forEach((s, i) => {
      const [alone] = greedyDecode(model, [s], { maxLength: 10 });
      expect(batch[i]!.tokens).toEqual(alone!.tokens);
      expect(batch[i]!.logProb).toBeCloseTo(alone!.logProb, 4);
      for (const row of batch[i]!.attention) {
        expect(row).toHaveLength(s.length);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
      expect(batch[i]!.attention).toHaveLength(batch[i]!.tokens.length + (batch[i]!.finished ? 1 : 0));
    });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('stops at maxLength and marks the row unfinished instead of throwing', () => {
    const model = new Seq2Seq({ kind: 'gru', attention: 'general', sourceVocabSize: 5, targetVocabSize: 6, hiddenSize: 4, seed: 0 });
    // An EOS bias of −100 means EOS is never the most probable token.
    const bias = model.decoder.out.bias!;
    const eosBias = new Float32Array(6);
    eosBias[TARGET_SPECIALS.eos] = -100;
    bias.assign(tf.tidy(() => tf.add(bias, tf.tensor1d(eosBias))));
    const [h] = greedyDecode(model, [[1, 2]], { maxLength: 7 });
    expect(h!.finished).toBe(false);
    expect(h!.tokens).toHaveLength(7);
    const [b] = beamSearch(model, [[1, 2]], { beamWidth: 3, maxLength: 7 });
    expect(b!.best.finished).toBe(false);
    expect(b!.best.tokens).toHaveLength(7);
    model.dispose();
  });
});

describe('bad input', () => {
  const model = () => new Seq2Seq({ kind: 'lstm', sourceVocabSize: 5, targetVocabSize: 6, hiddenSize: 4 });
  it('an empty source sequence is a TokenSequenceError naming the row', () => {
    const m = model();
    expect(() => greedyDecode(m, [[1], []])).toThrow(TokenSequenceError);
    expect(() => greedyDecode(m, [[1], []])).toThrow(/source\[1\]: expected at least one token/);
    m.dispose();
  });
  it('ids outside the vocabulary (or padding inside a source) are TokenSequenceErrors naming row and position', () => {
    const m = model();
    expect(() => beamSearch(m, [[1, 5]])).toThrow(/source\[0\]\[1\]: expected an id in 1..4, found 5/);
    expect(() => greedyDecode(m, [[0]])).toThrow(TokenSequenceError);
    expect(() => m.loss({ source: [[1]], target: [[2]] })).toThrow(/target\[0\]\[0\]: expected an id in 3..5, found 2/);
    m.dispose();
  });
  it('unknown option keys are rejected with a suggestion', () => {
    expect(() => new Seq2Seq({ kind: 'lstm', sourceVocabSize: 5, targetVocabSize: 6, hiddenSize: 4, atention: 'dot' } as never)).toThrow(UnknownOptionError);
    expect(() => new Seq2Seq({ kind: 'lstm', sourceVocabSize: 5, targetVocabSize: 6, hiddenSize: 4, atention: 'dot' } as never)).toThrow(/did you mean "attention"/);
    const m = model();
    expect(() => beamSearch(m, [[1]], { beamwidth: 3 } as never)).toThrow(/did you mean "beamWidth"/);
    expect(() => m.loss({ source: [[1]], target: [[3]] }, { trainig: true } as never)).toThrow(/did you mean "training"/);
    m.dispose();
  });
  it('inconsistent options are ArgumentErrors', () => {
    expect(() => new Seq2Seq({ kind: 'lstm', sourceVocabSize: 5, targetVocabSize: 6, hiddenSize: 5 })).toThrow(/even number/);
    expect(() => new Seq2Seq({ kind: 'gru', attention: 'none', inputFeeding: true, sourceVocabSize: 5, targetVocabSize: 6, hiddenSize: 4 })).toThrow(/inputFeeding/);
  });
});

describe('training', () => {
  it('teacher forcing with Adam learns to reverse short sequences (loss falls below 0.05, greedy output exact)', () => {
    const model = new Seq2Seq({ kind: 'gru', attention: 'general', sourceVocabSize: 6, targetVocabSize: 8, hiddenSize: 16, embeddingDim: 8, seed: 4 });
    const source = [[1, 2, 3], [4, 5], [2, 4, 1, 5], [3, 3, 1]];
    const target = source.map((s) => [...s].reverse().map((id) => id + 2));
    const optimizer = tf.train.adam(0.05);
    const params = Object.values(model.parameters());
    let loss = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 80 && loss > 0.05; i++) {
      const value = optimizer.minimize(() => model.loss({ source, target }), true, params)!;
      loss = value.dataSync()[0]!;
      value.dispose();
    }
    expect(loss).toBeLessThan(0.05);
    expect(greedyDecode(model, source, { maxLength: 8 }).map((h) => h.tokens)).toEqual(target);
    optimizer.dispose();
    model.dispose();
  });
});
