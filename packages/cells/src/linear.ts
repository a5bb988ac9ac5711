import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, Rng, assertInteger, assertObject, assertTensor, checkOptions, uniform } from '@gated/tensor';
import { matMulPlainGrad } from './fast-matmul.js';
import { StateDictError } from './errors.js';
import { readStateDict } from './state-dict.js';
import type { TorchStateDictInput } from './types.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Add a bias; default true. */
  readonly bias?: boolean;
  /** Seed of the initialisation; default 0. */
  readonly seed?: number;
}

/**
 * A dense layer y = x·Wᵀ + b with PyTorch's `nn.Linear` layout (`weight` [out, in], `bias` [out]) and
 * default initialisation U(−1/√in, 1/√in). Accepts any leading shape: x [..., in] → y [..., out].
 *
 * @example
 * const head = new Linear({ inFeatures: 128, outFeatures: 10 });
 * const logits = head.forward(h); // h [B, 128] → [B, 10]
 */
export class Linear {
  /** Input width. */
  readonly inFeatures: number;
  /** Output width. */
  readonly outFeatures: number;
  /** [outFeatures, inFeatures]. */
  readonly weight: tf.Variable;
  /** [outFeatures], or null without bias. */
  readonly bias: tf.Variable | null;

  /** Creates the layer with PyTorch's default initialisation drawn from `seed`. */
  constructor(options: LinearOptions) {
    assertObject('new Linear options', options, 'an options object { inFeatures, outFeatures, bias?, seed? }');
    checkOptions('new Linear', options, { inFeatures: 'integer', outFeatures: 'integer', bias: 'boolean', seed: 'integer' });
    assertInteger('inFeatures', options.inFeatures, 1);
    assertInteger('outFeatures', options.outFeatures, 1);
    this.inFeatures = options.inFeatures;
    this.outFeatures = options.outFeatures;
    const rng = new Rng(options.seed ?? 0);
    const k = 1 / Math.sqrt(options.inFeatures);
    const w = uniform(-k, k)([options.outFeatures, options.inFeatures], rng);
    this.weight = tf.variable(w, true);
    w.dispose();
    if (options.bias ?? true) {
      const b = uniform(-k, k)([options.outFeatures], rng);
      this.bias = tf.variable(b, true);
      b.dispose();
    } else {
      this.bias = null;
    }
  }

  /** y = x·Wᵀ + b over the last axis. */
  forward(x: tf.Tensor): tf.Tensor {
    assertTensor('x', x);
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.inFeatures) {
      throw new ArgumentError('x', `shape [..., ${this.inFeatures}]`, `shape [${x.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const flat = tf.reshape(x, [-1, this.inFeatures]) as tf.Tensor2D;
      let y: tf.Tensor = matMulPlainGrad(flat, tf.transpose(this.weight) as tf.Tensor2D);
      if (this.bias) y = tf.add(y, this.bias);
      return tf.reshape(y, [...x.shape.slice(0, -1), this.outFeatures]);
    });
  }

  /** `weight` and (if present) `bias`, as PyTorch names them. */
  parameters(): Record<string, tf.Variable> {
    return this.bias ? { weight: this.weight, bias: this.bias } : { weight: this.weight };
  }

  /** Number of scalar weights, as PyTorch counts them. */
  countParams(): number {
    return this.weight.size + (this.bias?.size ?? 0);
  }

  /** Loads `weight` (and `bias`) with exact names and shapes; see {@link StateDictError}. */
  loadTorchStateDict(record: TorchStateDictInput): void {
    loadInto(this.parameters(), record);
  }

  /** Frees the weights. */
  dispose(): void {
    this.weight.dispose();
    this.bias?.dispose();
  }
}

/** Checks and assigns a record into named variables. */
export function loadInto(params: Record<string, tf.Variable>, record: TorchStateDictInput): void {
  const values = readStateDict(record, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.shape])));
  for (const [name, v] of Object.entries(params)) {
    const value = values[name];
    if (value === undefined) throw new StateDictError('missing', name, v.shape, null);
    v.assign(value);
    value.dispose();
  }
}
