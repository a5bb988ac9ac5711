import type * as tf from '@tensorflow/tfjs-core';

/** Which recurrence a layer runs. */
export type RecurrentKind = 'lstm' | 'gru' | 'rnn';

/**
 * How a sequence layer runs over time.
 * - `step`: a loop over time with ordinary tfjs ops; autodiff tapes every op. Runs anywhere.
 * - `sequence`: each direction as one tf.customGrad op written in TypeScript: one input-projection matMul for
 *   all steps, one recurrent matMul per step, a hand-written backward that forms weight gradients with one
 *   matMul over all steps.
 * - `fused`: the same structure with the per-step work in a WebAssembly SIMD kernel (src/fused); needs
 *   WebAssembly SIMD (throws `FusedUnavailableError` otherwise).
 * - `native`: the same kernel sources compiled natively (src/native: a Node-API addon shipped prebuilt for
 *   linux-x64, AVX-512 / AVX2 / SSE2 by CPU dispatch, multi-threaded); throws `NativeUnavailableError` where the
 *   binary does not load (browsers, other platforms).
 * - `auto` (default): on CPU-side backends (wasm, cpu, tensorflow) `native` when its binary loads, else `fused`
 *   when SIMD is available, else `sequence`; `step` on GPU backends (webgl, webgpu), where reading values back
 *   each step costs more.
 * All five agree within 1e-5 and pass the same PyTorch fixtures; `lastImplementation` tells which ran.
 */
export type Implementation = 'auto' | 'native' | 'fused' | 'sequence' | 'step';

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
  /** GRU only: apply the reset gate after the recurrent matrix (PyTorch, cuDNN); default true. */
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
