import * as tf from '@tensorflow/tfjs-core';
import { Rng, type RngState } from '@gated/tensor';
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
  #rng: Rng;

  constructor(options: TinyRnnOptions) {
    this.config = { dropout: 0, seed: 0, ...options };
    const rng = new Rng(this.config.seed);
    const H = options.hiddenSize;
    const F = options.vocabSize !== undefined ? H : options.inputSize!;
    const id = instances++;
    const v = (name: string, shape: number[], scale: number) => {
      const size = shape.reduce((a, b) => a * b, 1);
      return tf.tidy(() => tf.variable(tf.tensor(rng.uniformArray(size, -scale, scale), shape), true, `tiny${id}.${name}`));
    };
    this.#params = {
      ...(options.vocabSize !== undefined ? { 'embedding.weight': v('embedding', [options.vocabSize, H], 0.5) } : {}),
      'rnn.weight_ih': v('w_ih', [H, F], 1 / Math.sqrt(H)),
      'rnn.weight_hh': v('w_hh', [H, H], 1 / Math.sqrt(H)),
      'rnn.bias': v('b', [H], 1 / Math.sqrt(H)),
      'head.weight': v('head_w', [options.outputSize, H], 1 / Math.sqrt(H)),
      'head.bias': v('head_b', [options.outputSize], 0.1),
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
    const p = this.#params;
    const [B, T] = x.shape as [number, number];
    const H = this.config.hiddenSize;
    let dropMask: tf.Tensor | undefined;
    if (options.training && this.config.dropout > 0) {
      const keep = 1 - this.config.dropout;
      const F = this.config.vocabSize !== undefined ? H : this.config.inputSize!;
      const u = this.#rng.uniformArray(B * F);
      dropMask = tf.tensor(Float32Array.from(u, (r) => (r < keep ? 1 / keep : 0)), [B, F]);
    }
    return tf.tidy(() => {
      const inputs = this.config.vocabSize !== undefined ? tf.reshape(tf.gather(p['embedding.weight']!, tf.reshape(x, [-1])), [B, T, H]) : x;
      const lengths = options.lengths === undefined ? undefined : tf.cast(options.lengths, 'float32');
      let h: tf.Tensor2D = options.initialState === undefined ? tf.zeros([B, H]) : (tf.squeeze(options.initialState.hidden, [0]) as tf.Tensor2D);
      const outputs: tf.Tensor[] = [];
      for (let t = 0; t < T; t++) {
        let xt = tf.squeeze(tf.slice(inputs, [0, t, 0], [B, 1, -1]), [1]);
        if (dropMask !== undefined) xt = tf.mul(xt, dropMask);
        // h_t = tanh(x_t W_ihᵀ + h_{t−1} W_hhᵀ + b)
        const next = tf.tanh(tf.add(tf.add(tf.matMul(xt, p['rnn.weight_ih']!, false, true), tf.matMul(h, p['rnn.weight_hh']!, false, true)), p['rnn.bias']!));
        h = (lengths === undefined ? next : tf.where(tf.tile(tf.reshape(tf.less(tf.scalar(t), lengths), [B, 1]), [1, H]), next, h)) as tf.Tensor2D;
        outputs.push(h);
      }
      dropMask?.dispose();
      const head = (z: tf.Tensor) => tf.add(tf.matMul(z, p['head.weight']!, false, true), p['head.bias']!);
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
