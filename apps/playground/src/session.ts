import { SequenceModel, SimpleRNN, disposeGateRecording, gradientFlow, recordGates } from '@gated/cells';
import { exportOnnx } from '@gated/onnx';
import { Rng } from '@gated/tensor';
import { Adam, clipByGlobalNorm, globalNorm } from '@gated/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { addingBatch } from './adding-problem.js';
import type { FloatArray, GateTrace, ModelKind, RunSettings } from './protocol.js';

/** What one worker holds between messages: the model, its optimizer and where the data stream is. */
export interface TrainingSession {
  readonly kind: ModelKind;
  readonly settings: RunSettings;
  readonly model: SequenceModel;
  readonly optimizer: Adam;
  readonly data: Rng;
  step: number;
}

/** One optimisation step's measurements. */
export interface StepResult {
  readonly loss: number;
  readonly stepMs: number;
}

/** Gradients are clipped to this global norm, as the compare app trains the adding problem. */
const CLIP_NORM = 1;

/** A model of `kind` for the adding problem (2 features in, 1 number out from the last step), seeded. */
export function createSession(kind: ModelKind, settings: RunSettings): TrainingSession {
  const model = new SequenceModel({ kind, inputSize: 2, hiddenSize: settings.hiddenSize, outputSize: 1, pooling: 'last', seed: settings.seed });
  const optimizer = new Adam({ learningRate: settings.learningRate });
  // Both models see the same stream of batches: the data seed is forked from the run's seed, not the model's.
  return { kind, settings, model, optimizer, data: new Rng(settings.seed).fork('data'), step: 0 };
}

/** One Adam step on a fresh batch: MSE of the prediction against the sum of the two marked values. */
export function trainStep(session: TrainingSession): StepResult {
  const { settings, model, optimizer } = session;
  const batch = addingBatch(session.data, settings.batchSize, settings.seqLen);
  const started = performance.now();
  const params = model.parameters();
  const entries = Object.entries(params);
  const lossValue = tf.tidy(() => {
    const x = tf.tensor3d(batch.x, [batch.n, batch.seqLen, 2]);
    const y = tf.tensor2d(batch.y, [batch.n, 1]);
    const { value, grads } = tf.variableGrads(
      () => tf.mean(tf.square(tf.sub(model.forward(x, { training: true }).output, y))) as tf.Scalar,
      entries.map(([, v]) => v),
    );
    const byKey: Record<string, tf.Tensor> = {};
    for (const [key, v] of entries) {
      const g = grads[v.name];
      if (g !== undefined) byKey[key] = g;
    }
    optimizer.step(params, clipByGlobalNorm(byKey, CLIP_NORM, globalNorm(Object.values(byKey))));
    return value.dataSync()[0] ?? Number.NaN;
  });
  session.step += 1;
  return { loss: lossValue, stepMs: performance.now() - started };
}

const toFloatArray = (t: tf.Tensor): FloatArray => ({ shape: t.shape, values: t.dataSync() as Float32Array });

/** The gates (and LSTM cell state) of the trained model over `x` [B, T, 2], and ‖∂L/∂h_t‖ per step. */
export function inspect(session: TrainingSession, x: FloatArray): { gates: GateTrace[]; gradientFlow: number[]; rnnGradientFlow?: number[] } {
  const input = tf.tensor3d(x.values, x.shape as [number, number, number]);
  try {
    const rec = recordGates(session.model, input);
    let gates: GateTrace[];
    try {
      gates =
        rec.kind === 'lstm'
          ? [
              { name: 'input', isGate: true, values: toFloatArray(rec.gates.input) },
              { name: 'forget', isGate: true, values: toFloatArray(rec.gates.forget) },
              { name: 'output', isGate: true, values: toFloatArray(rec.gates.output) },
              { name: 'cell state', isGate: false, values: toFloatArray(rec.cellState) },
            ]
          : [
              { name: 'reset', isGate: true, values: toFloatArray(rec.gates.reset) },
              { name: 'update', isGate: true, values: toFloatArray(rec.gates.update) },
            ];
    } finally {
      disposeGateRecording(rec);
    }
    const flow = [...gradientFlow(session.model.rnn, input).norms];
    if (session.kind !== 'lstm') return { gates, gradientFlow: flow };
    // The vanishing-gradient baseline: a vanilla tanh RNN of the same width, untrained, same seed.
    const rnn = new SimpleRNN({ inputSize: 2, hiddenSize: session.settings.hiddenSize, seed: session.settings.seed });
    try {
      return { gates, gradientFlow: flow, rnnGradientFlow: [...gradientFlow(rnn, input).norms] };
    } finally {
      rnn.dispose();
    }
  } finally {
    input.dispose();
  }
}

/** The model as ONNX bytes, and the model's own output on `x` [B, T, 2] for the page to compare against. */
export function exportModel(session: TrainingSession, x: FloatArray): { onnx: Uint8Array; output: FloatArray } {
  const onnx = exportOnnx(session.model, { docString: `${session.kind.toUpperCase()} trained on the adding problem in the gated playground` });
  const out = tf.tidy(() => session.model.forward(tf.tensor3d(x.values, x.shape as [number, number, number])).output);
  const output = toFloatArray(out);
  out.dispose();
  return { onnx, output };
}

/** Frees the model's weights and the optimizer's slots. */
export function disposeSession(session: TrainingSession): void {
  session.model.dispose();
  session.optimizer.dispose();
}
