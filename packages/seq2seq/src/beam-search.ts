import { GatedError } from '@gated/tensor';
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

/** Row of the decoder batch: live hypothesis `hyp` (its index in the source's beam) of source `source`. */
interface BeamRow {
  readonly source: number;
  readonly hyp: number;
  readonly hypothesis: Alive;
}

/** A broken invariant of the search itself (not of its inputs). */
function beamError(expected: string, actual: string): GatedError {
  return new GatedError('GATED_SEQ2SEQ_BEAM_INVARIANT', `beam search: expected ${expected}, found ${actual}`, { expected, actual });
}

/**
 * Beam search over a batch of sources (the live hypotheses of every source run as one decoder batch). Each step
 * extends every live hypothesis by every token (PAD and BOS excluded), keeps a source's `beamWidth` best
 * extensions by log-probability, and moves those ending in EOS to its finished set; hypotheses still live after
 * `maxLength` tokens are kept as unfinished. The result ranks them all by log p / |y|^lengthPenalty. With
 * lengthPenalty 0 a source stops as soon as none of its live hypotheses can beat its best finished one. A width
 * that keeps every extension makes it an exhaustive search.
 *
 * @example
 * const [{ best }] = beamSearch(model, [[5, 6, 7]], { beamWidth: 5, maxLength: 30 });
 */
export function beamSearch(model: Seq2Seq, source: TokenRows, options: BeamSearchOptions = {}): BeamResult[] {
  const o = resolveBeamOptions(options);
  const encoded = model.encode(source);
  const V = model.config.targetVocabSize;
  const norm = (logProb: number, steps: number) => (o.lengthPenalty === 0 ? logProb : logProb / steps ** o.lengthPenalty);
  const beams = encoded.lengths.map((length) => ({ length, finished: [] as Hypothesis[], alive: [{ tokens: [], attention: [], logProb: 0 }] as Alive[] }));
  // Row r of the decoder batch is hypothesis rows[r].hyp of source rows[r].source.
  let rows: BeamRow[] = beams.flatMap((beam, source) => beam.alive.map((hypothesis, hyp) => ({ source, hyp, hypothesis })));
  let state: DecoderState = encoded.state;
  try {
    for (let t = 0; t < o.maxLength && rows.length > 0; t++) {
      const memory = encoded.memory ? selectMemoryRows(encoded.memory, rows.map((r) => r.source)) : null;
      const step = model.decodeStep(
        rows.map((r) => r.hypothesis.tokens.at(-1) ?? TARGET_SPECIALS.bos),
        state,
        memory,
      );
      if (memory) disposeMemory(memory);
      const logp = model.logProbabilities(step.logits);
      const lp = logp.dataSync();
      const att = step.attention?.dataSync() ?? null;
      const S = step.attention?.shape[1] ?? 0;
      tf.dispose([logp, step.logits, step.attention ?? []]);
      const nextRows: BeamRow[] = [];
      const parents: number[] = [];
      beams.forEach((beam, i) => {
        // Every extension of every live hypothesis of source i, best first (ties: earlier hypothesis, lower id).
        const candidates: { row: number; parent: number; id: number; logProb: number }[] = [];
        rows.forEach((r, row) => {
          if (r.source !== i) return;
          const h = r.hypothesis;
          for (let id = TARGET_SPECIALS.eos; id < V; id++) candidates.push({ row, parent: r.hyp, id, logProb: h.logProb + lp[row * V + id]! });
        });
        if (candidates.length === 0) return;
        candidates.sort((a, b) => b.logProb - a.logProb || a.parent - b.parent || a.id - b.id);
        const alive: Alive[] = [];
        for (const c of candidates.slice(0, o.beamWidth)) {
          const parent = beam.alive[c.parent];
          if (parent === undefined) throw beamError(`a live parent hypothesis ${c.parent} of source ${i}`, 'none');
          const attention = att ? [...parent.attention, Array.from(att.subarray(c.row * S, c.row * S + beam.length))] : [];
          if (c.id === TARGET_SPECIALS.eos) {
            beam.finished.push({ tokens: parent.tokens, finished: true, logProb: c.logProb, score: norm(c.logProb, t + 1), attention });
          } else {
            const hypothesis: Alive = { tokens: [...parent.tokens, c.id], attention, logProb: c.logProb };
            nextRows.push({ source: i, hyp: alive.length, hypothesis });
            parents.push(c.row);
            alive.push(hypothesis);
          }
        }
        beam.alive = alive;
        // Log-probabilities only fall as hypotheses grow: without length normalisation the best finished one is final.
        if (o.lengthPenalty === 0 && beam.finished.length > 0 && alive.length > 0) {
          const bestFinished = Math.max(...beam.finished.map((h) => h.score));
          if (alive.every((h) => h.logProb <= bestFinished)) {
            beam.alive = [];
            // This source's rows are the last alive.length ones pushed (sources are visited in order).
            nextRows.splice(nextRows.length - alive.length);
            parents.splice(parents.length - alive.length);
          }
        }
      });
      const reordered = parents.length > 0 ? selectStateRows(step.state, parents) : null;
      disposeState(step.state);
      if (state !== encoded.state) disposeState(state);
      state = reordered ?? encoded.state;
      rows = nextRows;
    }
  } finally {
    if (state !== encoded.state) disposeState(state);
    encoded.dispose();
  }
  return beams.map((beam) => {
    const all = [...beam.finished, ...beam.alive.map((h) => ({ tokens: h.tokens, finished: false, logProb: h.logProb, score: norm(h.logProb, h.tokens.length), attention: h.attention }))];
    all.sort((a, b) => b.score - a.score);
    const hypotheses = all.slice(0, o.beamWidth);
    const [best] = hypotheses;
    // Every step leaves a source live or finished hypotheses, so this holds for beamWidth ≥ 1.
    if (best === undefined) throw beamError('at least one hypothesis per source', 'none');
    return { best, hypotheses };
  });
}
