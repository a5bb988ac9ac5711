import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, Rng, assertInteger, assertObject, assertTensor, checkOptions, normal } from '@gated/tensor';
import { loadInto } from './linear.js';
import { wasmHeapViews } from './wasm-heap-view.js';
import { item } from './list-item.js';
import type { TorchStateDictInput } from './types.js';

/** Options of {@link Embedding}. */
export interface EmbeddingOptions {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** Seed of the initialisation; default 0. */
  readonly seed?: number;
}

/**
 * A lookup table of token vectors, PyTorch's `nn.Embedding` (`weight` [numEmbeddings, embeddingDim],
 * initialised N(0, 1)). ids (int32, any shape) → [...ids.shape, embeddingDim].
 *
 * @example
 * const emb = new Embedding({ numEmbeddings: 1000, embeddingDim: 64 });
 * const vectors = emb.forward(tf.tensor2d([[1, 2, 3]], [1, 3], 'int32')); // [1, 3, 64]
 */
export class Embedding {
  /** Rows of the table (vocabulary size). */
  readonly numEmbeddings: number;
  /** Width of each vector. */
  readonly embeddingDim: number;
  /** [numEmbeddings, embeddingDim]. */
  readonly weight: tf.Variable;

  /** Creates the table, initialised N(0, 1) from `seed`. */
  constructor(options: EmbeddingOptions) {
    assertObject('new Embedding options', options, 'an options object { numEmbeddings, embeddingDim, seed? }');
    checkOptions('new Embedding', options, { numEmbeddings: 'integer', embeddingDim: 'integer', seed: 'integer' });
    assertInteger('numEmbeddings', options.numEmbeddings, 1);
    assertInteger('embeddingDim', options.embeddingDim, 1);
    this.numEmbeddings = options.numEmbeddings;
    this.embeddingDim = options.embeddingDim;
    const w = normal(0, 1)([options.numEmbeddings, options.embeddingDim], new Rng(options.seed ?? 0));
    this.weight = tf.variable(w, true);
    w.dispose();
  }

  /** Looks up each id. Ids must be int32 in [0, numEmbeddings). */
  forward(ids: tf.Tensor): tf.Tensor {
    assertTensor('ids', ids);
    if (ids.dtype !== 'int32') throw new ArgumentError('ids', 'an int32 tensor of token ids', `${ids.dtype}`);
    const values = ids.dataSync() as Int32Array;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < 0 || v >= this.numEmbeddings) throw new ArgumentError(`ids[${i}]`, `an id in 0..${this.numEmbeddings - 1}`, String(v));
    }
    const [V, D] = [this.numEmbeddings, this.embeddingDim];
    // The rows are copied in JavaScript rather than by tf.gather (tfjs-backend-wasm's GatherV2 costs more than the
    // copy, and tfjs differentiates gather with UnsortedSegmentSum, which the wasm backend lacks); the gradient is
    // the matching scatter-add, a short loop over the ids.
    const lookup = tf.customGrad((...args: unknown[]) => {
      const weight = args[0] as tf.Tensor2D;
      // the table's own memory where the backend lets it be read in place (no copy of the whole table per call)
      const table = wasmHeapViews([weight], [false])?.[0] ?? weight.dataSync();
      const rows = new Float32Array(values.length * D);
      for (let i = 0; i < values.length; i++) {
        const row = values[i]! * D;
        rows.set(table.subarray(row, row + D), i * D);
      }
      return {
        value: tf.tensor2d(rows, [values.length, D]),
        gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
          const upstream = Array.isArray(dy) ? item(dy, 0, 'dy') : dy;
          // Where the backend allows it, the [V, D] gradient is made in its memory (zero-filled there) and the rows
          // added in place: no table-sized JavaScript array is allocated and copied in on every step.
          const inHeap = tf.fill([V, D], 0) as tf.Tensor2D;
          const views = wasmHeapViews([inHeap, upstream], [true, false]);
          if (views === undefined) inHeap.dispose();
          const g = views?.[0] ?? new Float32Array(V * D);
          const d = views?.[1] ?? (upstream.dataSync() as Float32Array);
          for (let i = 0; i < values.length; i++) {
            const row = values[i]! * D;
            for (let j = 0; j < D; j++) g[row + j]! += d[i * D + j]!;
          }
          return [views === undefined ? tf.tensor2d(g, [V, D]) : inHeap];
        },
      };
    }) as (weight: tf.Tensor) => tf.Tensor;
    return tf.tidy(() => tf.reshape(lookup(this.weight), [...ids.shape, D]));
  }

  /** `weight`, as PyTorch names it. */
  parameters(): Record<string, tf.Variable> {
    return { weight: this.weight };
  }

  /** Number of scalar weights. */
  countParams(): number {
    return this.weight.size;
  }

  /** Loads `weight` with its exact shape; see {@link StateDictError}. */
  loadTorchStateDict(record: TorchStateDictInput): void {
    loadInto(this.parameters(), record);
  }

  /** Frees the weights. */
  dispose(): void {
    this.weight.dispose();
  }
}
