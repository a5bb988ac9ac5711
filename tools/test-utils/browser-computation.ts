// The computation the browser test runs twice — in a Web Worker in Chromium and in Node — so their numbers can be
// compared: a seeded LSTM and GRU forward, then a few training steps of each with fit. Everything it draws comes
// from seeds, so the same code gives the same numbers wherever the same kernels run.
import { SequenceModel } from '@gated/cells';
import { Rng, tensorDataset } from '@gated/tensor';
import * as trainer from '@gated/trainer';
import * as tf from '@tensorflow/tfjs-core';

/** The numbers both runtimes report. */
export interface BrowserComputation {
  readonly backend: string;
  /** Logits of the seeded models on the seeded batch [B·out], before training. */
  readonly forward: { readonly lstm: number[]; readonly gru: number[] };
  /** fit's per-step training loss, and the logits after training. */
  readonly training: { readonly lstm: number[]; readonly gru: number[] };
  readonly trained: { readonly lstm: number[]; readonly gru: number[] };
}

const BATCH = 4;
const STEPS_IN_TIME = 12;
const FEATURES = 3;

/** Runs the computation on the active tfjs backend (the caller has called initBackend). */
export async function runComputation(): Promise<BrowserComputation> {
  const rng = new Rng(20);
  const xs = tf.tensor3d(rng.normalArray(4 * BATCH * STEPS_IN_TIME * FEATURES, 0, 1), [4 * BATCH, STEPS_IN_TIME, FEATURES]);
  const ys = tf.tensor1d(Array.from({ length: 4 * BATCH }, () => rng.int(2)), 'int32');
  const probe = tf.slice(xs, [0, 0, 0], [BATCH, STEPS_IN_TIME, FEATURES]);
  const forward: Record<string, number[]> = {};
  const training: Record<string, number[]> = {};
  const trained: Record<string, number[]> = {};
  for (const kind of ['lstm', 'gru'] as const) {
    const model = new SequenceModel({ kind, inputSize: FEATURES, hiddenSize: 16, outputSize: 2, pooling: 'last', seed: 7, implementation: 'fused' });
    const logits = (): number[] => tf.tidy(() => Array.from(model.forward(probe).output.dataSync()));
    forward[kind] = logits();
    const data = tensorDataset({ x: xs, y: ys }, { batchSize: BATCH, shuffle: true, seed: 3 });
    // Only what runs in both runtimes: the native addon (Node only) would otherwise take the fused head + loss and
    // Adam's update in Node, equal to the portable paths within 1e-5 but not bit for bit. So the model is seen
    // through forward alone (no fused head) and Adam runs as tfjs ops.
    const portable = { forward: model.forward.bind(model), parameters: model.parameters.bind(model), config: model.config, getRngState: model.getRngState.bind(model), setRngState: model.setRngState.bind(model) };
    const result = await trainer.fit(portable, data, { steps: 6, optimizer: 'adam', optimizerOptions: { kernels: 'tfjs' }, learningRate: 0.01, progress: 'none', seed: 5 });
    training[kind] = result.steps.loss;
    trained[kind] = logits();
    model.dispose();
  }
  tf.dispose([xs, ys, probe]);
  return {
    backend: tf.getBackend(),
    forward: { lstm: forward['lstm'] ?? [], gru: forward['gru'] ?? [] },
    training: { lstm: training['lstm'] ?? [], gru: training['gru'] ?? [] },
    trained: { lstm: trained['lstm'] ?? [], gru: trained['gru'] ?? [] },
  };
}
