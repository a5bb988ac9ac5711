import type * as tf from '@tensorflow/tfjs-core';
import type { Implementation } from './implementation.js';

/** The state a cell carries from one step to the next: `h` [B, H] and, for LSTM, `c` [B, H]. */
export interface RecurrentState {
  readonly h: tf.Tensor2D;
  readonly c?: tf.Tensor2D;
}

/** The state of a whole sequence layer, shaped like PyTorch's h_n / c_n: [numLayers·dirs, B, H]. */
export interface SequenceState {
  readonly hidden: tf.Tensor3D;
  readonly cell?: tf.Tensor3D;
}

/** Options of {@link LSTM}, {@link GRU} and {@link SimpleRNN}. */
export interface RecurrentLayerOptions {
  /** Features per time step of the input. */
  readonly inputSize: number;
  /** Features of the hidden state (and of the LSTM cell state). */
  readonly hiddenSize: number;
  /** Stacked layers; default 1. */
  readonly numLayers?: number;
  /** Run a second direction from the end backwards and concatenate; default false. */
  readonly bidirectional?: boolean;
  /** Input and output are [B, T, F] (true, default) or [T, B, F] (false). */
  readonly batchFirst?: boolean;
  /** Dropout on the output of every layer except the last, only when training; default 0. */
  readonly dropout?: number;
  /** Variational dropout: one mask per sequence on the recurrent input h_{t−1}, only when training; default 0. */
  readonly recurrentDropout?: number;
  /** Seed of the weight initialisation and of the dropout masks; default 0. */
  readonly seed?: number;
  /** Add the biases b_ih and b_hh; default true. */
  readonly bias?: boolean;
  /** LSTM only: project h to this size with weight_hr (PyTorch proj_size); 0 (default) = no projection. */
  readonly projSize?: number;
  /** LSTM only: peephole connections from the cell state to the i, f and o gates; default false. */
  readonly peepholes?: boolean;
  /** GRU only: apply the reset gate after the recurrent matrix (PyTorch, cuDNN; default true) or before it (false: Cho et al. 2014). */
  readonly resetAfter?: boolean;
  /** SimpleRNN only: `tanh` (default) or `relu`, as PyTorch's `nonlinearity`. */
  readonly nonlinearity?: 'tanh' | 'relu';
  /** Which implementation runs the sequence; default `auto`. */
  readonly implementation?: Implementation;
}

/** {@link RecurrentLayerOptions} with every default filled in. */
export type ResolvedRecurrentLayerOptions = Required<RecurrentLayerOptions>;

/** Options of a layer's `forward`. */
export interface ForwardOptions {
  /** Valid length of each sequence (int32 [B] or numbers); steps past it output zeros and keep the state. */
  readonly lengths?: tf.Tensor1D | readonly number[];
  /** Initial state [numLayers·dirs, B, H]; zeros when omitted. */
  readonly initialState?: SequenceState;
  /** Apply dropout and recurrent dropout; default false. */
  readonly training?: boolean;
}

/** What a sequence layer's `forward` returns. */
export interface SequenceOutput {
  /** [B, T, dirs·H] when batchFirst, else [T, B, dirs·H]; zero past each sequence's length. */
  readonly output: tf.Tensor3D;
  /** h_n [numLayers·dirs, B, H] (H = projSize when projecting), taken at each sequence's last valid step. */
  readonly hidden: tf.Tensor3D;
  /** LSTM only: c_n [numLayers·dirs, B, hiddenSize]. */
  readonly cell?: tf.Tensor3D;
}

/** A weight record as accepted by `loadTorchStateDict`: tensors or plain {shape, data}. */
export type TorchStateDictInput = Readonly<Record<string, tf.Tensor | { readonly shape: readonly number[]; readonly data: Float32Array | readonly number[] }>>;
