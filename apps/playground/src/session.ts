import { type SequenceModel, type SequenceState, SimpleRNN, disposeGateRecording, gradientFlow, recordGates } from '@gated/cells';
import { exportOnnx } from '@gated/onnx';
import { Rng } from '@gated/tensor';
import { Adam, clipByGlobalNorm, globalNorm } from '@gated/trainer';
import * as tf from '@tensorflow/tfjs-core';
import type { GateTrace, ModelKind, RunSettings, TaskName, TensorData } from './protocol.js';
import type { PlaygroundTask } from './task.js';
import { addingTask } from './task-adding.js';
import { charLmTask, charTokenizer } from './task-char-lm.js';
import { co2Task } from './task-co2.js';
import { spokenDigitsTask } from './task-spoken-digits.js';

/** The tasks by name. */
export const TASKS: Readonly<Record<TaskName, PlaygroundTask>> = {
  adding: addingTask,
  'char-lm': charLmTask,
  co2: co2Task,
  'spoken-digits': spokenDigitsTask,
};

/** What one worker holds between messages: the model, its optimizer and where the data stream is. */
export interface TrainingSession {
  readonly kind: ModelKind;
  readonly settings: RunSettings;
  readonly task: PlaygroundTask;
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

/** Gradients are clipped to this global norm. */
const CLIP_NORM = 1;
/** Sequences the gates and the ONNX comparison are run on. */
export const PROBE_COUNT = 4;

/** A seeded model of `kind` for the settings' task, with its optimizer and data stream. */
export function createSession(kind: ModelKind, settings: RunSettings): TrainingSession {
  const task = TASKS[settings.task];
  if (task === undefined) throw new RangeError(`unknown task "${String(settings.task)}": expected one of ${Object.keys(TASKS).join(', ')}`);
  const model = task.createModel(kind, settings);
  const optimizer = new Adam({ learningRate: settings.learningRate });
  // Both models see the same stream of batches: the data seed is forked from the run's seed, not the model's.
  return { kind, settings, task, model, optimizer, data: new Rng(settings.seed).fork('data'), step: 0 };
}

/** One Adam step (gradients clipped to global norm 1) on a fresh batch. */
export function trainStep(session: TrainingSession): StepResult {
  const { model, optimizer, task } = session;
  const started = performance.now();
  const params = model.parameters();
  const entries = Object.entries(params);
  const lossValue = tf.tidy(() => {
    const { x, y } = task.batch(session.data, session.settings);
    const { value, grads } = tf.variableGrads(() => task.loss(model.forward(x, { training: true }).output, y), entries.map(([, v]) => v));
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

const floatData = (t: tf.Tensor): Extract<TensorData, { dtype: 'float32' }> => ({ dtype: 'float32', shape: t.shape, values: t.dataSync() as Float32Array });
const toTensor = (d: TensorData): tf.Tensor => tf.tensor(d.values, [...d.shape], d.dtype);

/** The features entering the recurrent layer: the embedding of token ids, or the float input itself. */
function features(model: SequenceModel, x: tf.Tensor): tf.Tensor3D {
  return (model.embedding ? model.embedding.forward(x) : x) as tf.Tensor3D;
}

/** The gates (and LSTM cell state) of the trained model over the task's probe sequences, and ‖∂L/∂h_t‖ per step. */
export function inspect(session: TrainingSession): {
  labels: string[][];
  gates: GateTrace[];
  gradientFlow: number[];
  initialGradientFlow: number[];
  rnnGradientFlow?: number[];
} {
  const { x, labels } = session.task.probe(session.settings, PROBE_COUNT);
  const input = toTensor(x);
  const feats = features(session.model, input);
  try {
    const rec = recordGates(session.model, input);
    let gates: GateTrace[];
    try {
      gates =
        rec.kind === 'lstm'
          ? [
              { name: 'input', isGate: true, values: floatData(rec.gates.input) },
              { name: 'forget', isGate: true, values: floatData(rec.gates.forget) },
              { name: 'output', isGate: true, values: floatData(rec.gates.output) },
              { name: 'cell state', isGate: false, values: floatData(rec.cellState) },
            ]
          : [
              { name: 'reset', isGate: true, values: floatData(rec.gates.reset) },
              { name: 'update', isGate: true, values: floatData(rec.gates.update) },
            ];
    } finally {
      disposeGateRecording(rec);
    }
    const flow = [...gradientFlow(session.model.rnn, feats).norms];
    const initialGradientFlow = initialFlow(session, input);
    if (session.kind !== 'lstm') return { labels, gates, gradientFlow: flow, initialGradientFlow };
    // The vanishing-gradient baseline: a vanilla tanh RNN of the same width, untrained, same seed, same inputs.
    const rnn = new SimpleRNN({ inputSize: session.task.featureSize, hiddenSize: session.settings.hiddenSize, seed: session.settings.seed });
    try {
      return { labels, gates, gradientFlow: flow, initialGradientFlow, rnnGradientFlow: [...gradientFlow(rnn, feats).norms] };
    } finally {
      rnn.dispose();
    }
  } finally {
    tf.dispose([input, feats]);
  }
}

/** ‖∂L/∂h_t‖ of a fresh model of the session's kind and seed (what training started from) on `input`. */
function initialFlow(session: TrainingSession, input: tf.Tensor): number[] {
  const fresh = session.task.createModel(session.kind, session.settings);
  const feats = features(fresh, input);
  try {
    return [...gradientFlow(fresh.rnn, feats).norms];
  } finally {
    if (feats !== input) feats.dispose();
    fresh.dispose();
  }
}

/** The model as ONNX bytes, with the probe input and the model's own output on it for the page to compare. */
export function exportModel(session: TrainingSession): { onnx: Uint8Array; input: TensorData; output: Extract<TensorData, { dtype: 'float32' }> } {
  const { x } = session.task.probe(session.settings, PROBE_COUNT);
  const onnx = exportOnnx(session.model, {
    docString: `${session.kind.toUpperCase()} trained on ${session.settings.task} in the gated playground`,
    ...(session.settings.task === 'char-lm' ? { preprocessing: { vocabulary: charTokenizer.vocab.tokens, task: 'moby-dick-char-lm' } } : {}),
  });
  const input = toTensor(x);
  const out = tf.tidy(() => session.model.forward(input).output);
  const output = floatData(out);
  tf.dispose([input, out]);
  return { onnx, input: x, output };
}

/**
 * Text from the char LM: reads `prime`, then draws `length` characters one at a time from softmax(logits / T),
 * carrying the recurrent state. Seeded by the run's seed, so the same settings give the same text.
 */
export function sampleText(session: TrainingSession, prime: string, length: number, temperature: number): string {
  if (session.settings.task !== 'char-lm') throw new RangeError(`sampling needs the char-lm task, the session trains "${session.settings.task}"`);
  if (!(temperature > 0)) throw new RangeError(`temperature must be > 0, found ${temperature}`);
  const rng = new Rng(session.settings.seed).fork('sample');
  const primeIds = charTokenizer.encode(prime.length > 0 ? prime : ' ');
  const out: number[] = [];
  let state: SequenceState | undefined;
  let next = tf.tensor2d(primeIds, [1, primeIds.length], 'int32');
  try {
    for (let i = 0; i < length; i++) {
      const r = session.model.forward(next, state ? { initialState: state } : {});
      const steps = r.output.shape[1] ?? 1;
      const logits = tf.tidy(() => tf.div(tf.reshape(tf.slice(r.output, [0, steps - 1, 0], [1, 1, -1]), [-1]), temperature));
      r.output.dispose();
      const newState = r.state;
      const probs = softmax(logits.dataSync() as Float32Array, SPECIAL_COUNT);
      logits.dispose();
      if (state) disposeState(state);
      state = newState;
      const id = draw(probs, rng.uniform());
      out.push(id);
      next.dispose();
      next = tf.tensor2d([id], [1, 1], 'int32');
    }
  } finally {
    next.dispose();
    if (state) disposeState(state);
  }
  return out.map((id) => charTokenizer.vocab.tokens[id] ?? '').join('');
}

/** `<pad>`, `<unk>`, `<bos>`, `<eos>` hold the lowest ids; sampling never draws them (the excerpt has none). */
const SPECIAL_COUNT = charTokenizer.vocab.specials.length;

function disposeState(s: SequenceState): void {
  s.hidden.dispose();
  s.cell?.dispose();
}

/** softmax over `logits`, with the first `skip` entries given probability 0. */
function softmax(logits: Float32Array, skip: number): Float64Array {
  const max = logits.subarray(skip).reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  const p = Float64Array.from(logits, (v, i) => (i < skip ? 0 : Math.exp(v - max)));
  const sum = p.reduce((a, b) => a + b, 0);
  return p.map((v) => v / sum);
}

/** The index whose cumulative probability first passes `u` ∈ [0, 1). */
function draw(probs: Float64Array, u: number): number {
  let acc = 0;
  for (let i = 0; i < probs.length; i++) {
    acc += probs[i] ?? 0;
    if (u < acc) return i;
  }
  return probs.length - 1;
}

/** Frees the model's weights and the optimizer's slots. */
export function disposeSession(session: TrainingSession): void {
  session.model.dispose();
  session.optimizer.dispose();
}
