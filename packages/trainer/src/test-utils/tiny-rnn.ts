import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, Rng, type RngState } from '@gated/tensor';
import type { TrainableModel, TrainForwardOptions } from '../model.js';

/** Options of the tests' hand-rolled Elman RNN. */
export interface TinyRnnOptions {
  inputSize?: number;
  vocabSize?: number;
  hiddenSize: number;
  outputSize: number;
  perStep: boolean;
  dropout?: number;
  seed?: number;
}

export interface TinyState {
  readonly hidden: tf.Tensor3D;
}

let instances = 0;

/**
 * h_t = tanh(x_t W_ihᵀ + h_{t−1} W_hhᵀ + b), a linear head on the last valid h (or on every h_t); state kept
 * past each length; optional input dropout drawn from its own Rng. Implements TrainableModel for tests
 * before @gated/cells exists.
 */
export class TinyRnn implements TrainableModel<TinyState> {
  readonly config: Required<Omit<TinyRnnOptions, 'inputSize' | 'vocabSize'>> & { inputSize?: number; vocabSize?: number };
  readonly #params: Record<string, tf.Variable>;
  readonly #w: { embedding?: tf.Variable; weightIh: tf.Variable; weightHh: tf.Variable; bias: tf.Variable; headWeight: tf.Variable; headBias: tf.Variable };
  /** Width of the recurrent input: the features, or the hidden size after the embedding. */
  readonly #inputWidth: number;
  #rng: Rng;

  constructor(options: TinyRnnOptions) {
    this.config = { dropout: 0, seed: 0, ...options };
    const rng = new Rng(this.config.seed);
    const H = options.hiddenSize;
    const F = options.vocabSize !== undefined ? H : options.inputSize;
    if (F === undefined) throw new ArgumentError('TinyRnn options', 'inputSize or vocabSize', 'neither');
    this.#inputWidth = F;
    const id = instances++;
    const v = (name: string, shape: number[], scale: number) => {
      const size = shape.reduce((a, b) => a * b, 1);
      return tf.tidy(() => tf.variable(tf.tensor(rng.uniformArray(size, -scale, scale), shape), true, `tiny${id}.${name}`));
    };
    // Created in this order: the weights are drawn one after the other from the same Rng.
    const embedding = options.vocabSize !== undefined ? v('embedding', [options.vocabSize, H], 0.5) : undefined;
    this.#w = {
      ...(embedding === undefined ? {} : { embedding }),
      weightIh: v('w_ih', [H, F], 1 / Math.sqrt(H)),
      weightHh: v('w_hh', [H, H], 1 / Math.sqrt(H)),
      bias: v('b', [H], 1 / Math.sqrt(H)),
      headWeight: v('head_w', [options.outputSize, H], 1 / Math.sqrt(H)),
      headBias: v('head_b', [options.outputSize], 0.1),
    };
    const w = this.#w;
    this.#params = {
      ...(embedding === undefined ? {} : { 'embedding.weight': embedding }),
      'rnn.weight_ih': w.weightIh,
      'rnn.weight_hh': w.weightHh,
      'rnn.bias': w.bias,
      'head.weight': w.headWeight,
      'head.bias': w.headBias,
    };
    this.#rng = rng.fork('dropout');
  }

  parameters(): Record<string, tf.Variable> {
    return this.#params;
  }

  getRngState(): RngState {
    return this.#rng.state;
  }

  setRngState(state: RngState): void {
    this.#rng = Rng.fromState(state);
  }

  forward(x: tf.Tensor, options: TrainForwardOptions<TinyState> = {}): { output: tf.Tensor; state: TinyState } {
    const w = this.#w;
    const [B, T] = x.shape as [number, number];
    const H = this.config.hiddenSize;
    let dropMask: tf.Tensor | undefined;
    if (options.training && this.config.dropout > 0) {
      const keep = 1 - this.config.dropout;
      const F = this.#inputWidth;
      const u = this.#rng.uniformArray(B * F);
      dropMask = tf.tensor(Float32Array.from(u, (r) => (r < keep ? 1 / keep : 0)), [B, F]);
    }
    return tf.tidy(() => {
      const inputs = w.embedding !== undefined ? tf.reshape(tf.gather(w.embedding, tf.reshape(x, [-1])), [B, T, H]) : x;
      const lengths = options.lengths === undefined ? undefined : tf.cast(options.lengths, 'float32');
      let h: tf.Tensor2D = options.initialState === undefined ? tf.zeros([B, H]) : (tf.squeeze(options.initialState.hidden, [0]) as tf.Tensor2D);
      const outputs: tf.Tensor[] = [];
      for (let t = 0; t < T; t++) {
        let xt = tf.squeeze(tf.slice(inputs, [0, t, 0], [B, 1, -1]), [1]);
        if (dropMask !== undefined) xt = tf.mul(xt, dropMask);
        // h_t = tanh(x_t W_ihᵀ + h_{t−1} W_hhᵀ + b)
        const next = tf.tanh(tf.add(tf.add(tf.matMul(xt, w.weightIh, false, true), tf.matMul(h, w.weightHh, false, true)), w.bias));
        h = (lengths === undefined ? next : tf.where(tf.tile(tf.reshape(tf.less(tf.scalar(t), lengths), [B, 1]), [1, H]), next, h)) as tf.Tensor2D;
        outputs.push(h);
      }
      dropMask?.dispose();
      const head = (z: tf.Tensor) => tf.add(tf.matMul(z, w.headWeight, false, true), w.headBias);
      const output = this.config.perStep
        ? tf.reshape(head(tf.reshape(tf.stack(outputs, 1), [B * T, H])), [B, T, this.config.outputSize])
        : head(h);
      return { output, state: { hidden: tf.expandDims(h, 0) as tf.Tensor3D } };
    });
  }

  dispose(): void {
    tf.dispose(Object.values(this.#params));
  }
}
