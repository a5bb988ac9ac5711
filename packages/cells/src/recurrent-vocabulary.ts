/**
 * The words every package uses for a recurrent layer, declared once: its kinds, the gate blocks stacked in its
 * weights, and the two ways of writing a GRU. @gated/onnx and the apps import these instead of re-declaring them.
 */

/** Which recurrence a layer runs. */
export type RecurrentKind = 'lstm' | 'gru' | 'rnn';

/** Every {@link RecurrentKind}, in the order the docs list them. */
export const RECURRENT_KINDS: readonly RecurrentKind[] = ['lstm', 'gru', 'rnn'];

/**
 * The gate blocks stacked along the rows of `weight_ih`, `weight_hh`, `bias_ih` and `bias_hh`, in PyTorch's order:
 * LSTM input, forget, cell candidate, output; GRU reset, update, new; a SimpleRNN has one block.
 */
export const GATE_ORDER = {
  lstm: ['i', 'f', 'g', 'o'],
  gru: ['r', 'z', 'n'],
  rnn: ['h'],
} as const satisfies Readonly<Record<RecurrentKind, readonly string[]>>;

/** Number of gate blocks per kind (LSTM 4, GRU 3, RNN 1): the weights have gates·hiddenSize rows. */
export const GATE_COUNT: Readonly<Record<RecurrentKind, number>> = {
  lstm: GATE_ORDER.lstm.length,
  gru: GATE_ORDER.gru.length,
  rnn: GATE_ORDER.rnn.length,
};

/**
 * How a GRU's update gate z mixes the old state and the candidate n, named after where each form comes from:
 * - `torch`: h_t = (1−z)⊙n + z⊙h_{t−1} — PyTorch, cuDNN, ONNX, Keras and Cho et al. (2014); what gated stores
 *   and computes;
 * - `chung2014`: h_t = (1−z)⊙h_{t−1} + z⊙n — Chung et al. (2014, arXiv:1412.3555) and many textbooks.
 * They are one model with z' = 1 − z; {@link flipGruUpdateGate} converts weights between them. (The other GRU
 * choice, where the reset gate acts, is the layer option `resetAfter`: true = PyTorch / cuDNN, false = the reset
 * before the recurrent matrix of Cho et al. 2014.)
 */
export type GruUpdateGate = 'torch' | 'chung2014';
