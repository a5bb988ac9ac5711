import { tidy } from './tidy.js';
import * as tf from '@tensorflow/tfjs-core';
import { Embedding, GRU, LSTM, type RecurrentState } from '@gated/cells';
import type { ResolvedSeq2SeqOptions } from './seq2seq-options.js';

/** What the encoder hands the decoder. */
export interface EncoderOutput {
  /** Encoder outputs [B, S, hiddenSize] (both directions concatenated), zero past each length. */
  readonly outputs: tf.Tensor3D;
  /** Each layer's final state [B, hiddenSize] (forward and backward halves concatenated): the decoder's first state. */
  readonly finalStates: readonly RecurrentState[];
}

/** Embedding → LSTM/GRU sequence layer (any depth, optionally bidirectional), run by @gated/cells' fused kernels. */
export class Encoder {
  readonly embedding: Embedding;
  readonly rnn: LSTM | GRU;
  private readonly o: ResolvedSeq2SeqOptions;

  constructor(o: ResolvedSeq2SeqOptions) {
    this.o = o;
    this.embedding = new Embedding({ numEmbeddings: o.sourceVocabSize, embeddingDim: o.embeddingDim, seed: o.seed });
    const options = {
      inputSize: o.embeddingDim,
      hiddenSize: o.bidirectional ? o.hiddenSize / 2 : o.hiddenSize,
      numLayers: o.numLayers,
      bidirectional: o.bidirectional,
      seed: o.seed + 1,
    };
    this.rnn = o.kind === 'lstm' ? new LSTM(options) : new GRU(options);
  }

  /** Encodes padded ids [B, S] (int32) with each row's length. */
  forward(ids: tf.Tensor2D, lengths: readonly number[], training = false): EncoderOutput {
    return tidy(() => {
      const x = this.embedding.forward(ids) as tf.Tensor3D;
      const { output, hidden, cell } = this.rnn.forward(x, { lengths, training });
      const dirs = this.o.bidirectional ? 2 : 1;
      const join = (t: tf.Tensor3D, k: number): tf.Tensor2D => {
        const rows = tf.unstack(tf.slice(t, [k * dirs, 0, 0], [dirs, t.shape[1], t.shape[2]])) as tf.Tensor2D[];
        const [only, ...more] = rows;
        return only !== undefined && more.length === 0 ? only : (tf.concat(rows, 1) as tf.Tensor2D);
      };
      const finalStates: RecurrentState[] = [];
      for (let k = 0; k < this.o.numLayers; k++) finalStates.push(cell ? { h: join(hidden, k), c: join(cell, k) } : { h: join(hidden, k) });
      return { outputs: output, finalStates };
    });
  }

  /** Weights by name: `embedding.weight`, `rnn.weight_ih_l0`, `rnn.weight_ih_l0_reverse`, …. */
  parameters(): Record<string, tf.Variable> {
    const p: Record<string, tf.Variable> = { 'embedding.weight': this.embedding.weight };
    for (const [name, v] of Object.entries(this.rnn.parameters())) p[`rnn.${name}`] = v;
    return p;
  }

  dispose(): void {
    this.embedding.dispose();
    this.rnn.dispose();
  }
}
