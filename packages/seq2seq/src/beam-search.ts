import * as tf from '@tensorflow/tfjs-core';
import { disposeMemory } from './attention-read.js';
import { type BeamSearchOptions, resolveBeamOptions } from './decode-options.js';
import { type DecoderState, disposeState, selectMemoryRows, selectStateRows } from './decoder-state.js';
import type { Hypothesis } from './hypothesis.js';
import type { Seq2Seq } from './seq2seq.js';
import { TARGET_SPECIALS } from './seq2seq-options.js';
import type { TokenRows } from './token-batch.js';

/** The beam search result of one source: hypotheses best first (at most beamWidth). */
export interface BeamResult {
  readonly best: Hypothesis;
  readonly hypotheses: readonly Hypothesis[];
}

interface Alive {
  readonly tokens: number[];
  readonly attention: number[][];
  readonly logProb: number;
}

/**
 * Beam search, one source at a time. Each step extends every live hypothesis by every token (PAD and BOS
 * excluded), keeps the `beamWidth` best extensions by log-probability, and moves those ending in EOS to the
 * finished set; hypotheses still live after `maxLength` tokens are kept as unfinished. The result ranks them
 * all by log p / |y|^lengthPenalty. With lengthPenalty 0 the search stops as soon as no live hypothesis can beat
 * the best finished one. A width that keeps every extension makes it an exhaustive search.
 *
 * @example
 * const [{ best }] = beamSearch(model, [[5, 6, 7]], { beamWidth: 5, maxLength: 30 });
 */
export function beamSearch(model: Seq2Seq, source: TokenRows, options: BeamSearchOptions = {}): BeamResult[] {
  const o = resolveBeamOptions(options);
  return source.map((row) => searchOne(model, row, o));
}

function searchOne(model: Seq2Seq, row: readonly number[], o: Required<BeamSearchOptions>): BeamResult {
  const encoded = model.encode([row]);
  const S = encoded.lengths[0]!;
  const V = model.config.targetVocabSize;
  const norm = (logProb: number, steps: number) => (o.lengthPenalty === 0 ? logProb : logProb / steps ** o.lengthPenalty);
  const finished: Hypothesis[] = [];
  let alive: Alive[] = [{ tokens: [], attention: [], logProb: 0 }];
  let state: DecoderState = encoded.state;
  let memory = encoded.memory;
  try {
    for (let t = 0; t < o.maxLength && alive.length > 0; t++) {
      const rowsMemory = memory && alive.length !== memory.keys.shape[0] ? selectMemoryRows(encoded.memory!, new Array(alive.length).fill(0)) : memory;
      if (memory && rowsMemory !== memory && memory !== encoded.memory) disposeMemory(memory);
      memory = rowsMemory;
      const step = model.decodeStep(
        alive.map((h) => h.tokens[h.tokens.length - 1] ?? TARGET_SPECIALS.bos),
        state,
        memory,
      );
      const logp = model.logProbabilities(step.logits);
      const lp = logp.dataSync();
      const att = step.attention?.dataSync() ?? null;
      tf.dispose([logp, step.logits, step.attention ?? []]);
      // Every extension of every live hypothesis, best first (ties: earlier hypothesis, then lower id).
      const candidates: { parent: number; id: number; logProb: number }[] = [];
      alive.forEach((h, i) => {
        for (let id = TARGET_SPECIALS.eos; id < V; id++) candidates.push({ parent: i, id, logProb: h.logProb + lp[i * V + id]! });
      });
      candidates.sort((a, b) => b.logProb - a.logProb || a.parent - b.parent || a.id - b.id);
      const next: Alive[] = [];
      const parents: number[] = [];
      for (const c of candidates.slice(0, o.beamWidth)) {
        const parent = alive[c.parent]!;
        const attention = att ? [...parent.attention, Array.from(att.subarray(c.parent * S, (c.parent + 1) * S))] : [];
        if (c.id === TARGET_SPECIALS.eos) {
          finished.push({ tokens: parent.tokens, finished: true, logProb: c.logProb, score: norm(c.logProb, t + 1), attention });
        } else {
          next.push({ tokens: [...parent.tokens, c.id], attention, logProb: c.logProb });
          parents.push(c.parent);
        }
      }
      const reordered = selectStateRows(step.state, parents.length > 0 ? parents : [0]);
      disposeState(step.state);
      if (state !== encoded.state) disposeState(state);
      state = reordered;
      alive = next;
      // Log-probabilities only fall as hypotheses grow: without length normalisation the best finished one is final.
      if (o.lengthPenalty === 0 && finished.length > 0 && alive.length > 0) {
        const bestFinished = Math.max(...finished.map((h) => h.score));
        if (alive.every((h) => h.logProb <= bestFinished)) alive = [];
      }
    }
  } finally {
    if (state !== encoded.state) disposeState(state);
    if (memory && memory !== encoded.memory) disposeMemory(memory);
    encoded.dispose();
  }
  const all = [...finished, ...alive.map((h) => ({ tokens: h.tokens, finished: false, logProb: h.logProb, score: norm(h.logProb, h.tokens.length), attention: h.attention }))];
  all.sort((a, b) => b.score - a.score);
  const hypotheses = all.slice(0, o.beamWidth);
  return { best: hypotheses[0]!, hypotheses };
}
