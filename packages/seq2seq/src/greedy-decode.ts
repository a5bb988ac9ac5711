import * as tf from '@tensorflow/tfjs-core';
import { type GreedyOptions, resolveGreedyOptions } from './decode-options.js';
import { disposeState } from './decoder-state.js';
import type { Hypothesis } from './hypothesis.js';
import type { Seq2Seq } from './seq2seq.js';
import { TARGET_SPECIALS } from './seq2seq-options.js';
import type { TokenRows } from './token-batch.js';

/**
 * Greedy decoding of a batch: at each step every unfinished row takes its most probable token (PAD and BOS
 * excluded; ties to the lowest id) until EOS or `maxLength` tokens.
 *
 * @example
 * const [h] = greedyDecode(model, [[5, 6, 7]], { maxLength: 30 });
 * h.tokens; h.finished; h.attention;   // attention[t][s]
 */
export function greedyDecode(model: Seq2Seq, source: TokenRows, options: GreedyOptions = {}): Hypothesis[] {
  const { maxLength } = resolveGreedyOptions(options);
  const encoded = model.encode(source);
  const B = encoded.lengths.length;
  const rows = Array.from({ length: B }, () => ({ tokens: [] as number[], attention: [] as number[][], logProb: 0, finished: false }));
  let state = encoded.state;
  let tokens: number[] = new Array(B).fill(TARGET_SPECIALS.bos);
  try {
    for (let t = 0; t < maxLength && rows.some((r) => !r.finished); t++) {
      const step = model.decodeStep(tokens, state, encoded.memory);
      if (state !== encoded.state) disposeState(state);
      state = step.state;
      const logp = model.logProbabilities(step.logits);
      const best = tf.argMax(logp, 1);
      const [lp, ids, att] = [logp.dataSync(), best.dataSync(), step.attention?.dataSync() ?? null];
      tf.dispose([logp, best, step.logits, step.attention ?? []]);
      const V = logp.shape[1];
      const S = step.attention?.shape[1] ?? 0;
      tokens = Array.from(ids);
      rows.forEach((r, b) => {
        if (r.finished) return;
        const id = ids[b]!;
        r.logProb += lp[b * V + id]!;
        if (att) r.attention.push(Array.from(att.subarray(b * S, b * S + encoded.lengths[b]!)));
        if (id === TARGET_SPECIALS.eos) r.finished = true;
        else r.tokens.push(id);
      });
    }
  } finally {
    if (state !== encoded.state) disposeState(state);
    encoded.dispose();
  }
  return rows.map((r) => ({ tokens: r.tokens, finished: r.finished, logProb: r.logProb, score: r.logProb, attention: r.attention }));
}
