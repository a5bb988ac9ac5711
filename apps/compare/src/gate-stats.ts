import * as tf from '@tensorflow/tfjs-core';
import { type GateRecording, type SequenceModel, disposeGateRecording, recordGates } from '@gated/cells';
import { ArgumentError } from '@gated/tensor';
import type { GateHeatmap, GateStat, GateStatsRecord } from './results.js';
import type { RecurrentTask } from './tasks/task.js';

/** A gate value below this counts as left-saturated (Karpathy, Johnson & Fei-Fei 2015, §4.2). */
export const LEFT_SATURATED = 0.1;
/** A gate value above this counts as right-saturated. */
export const RIGHT_SATURATED = 0.9;
/** A unit is called left-/right-saturated when it is so for more than this fraction of (valid) time steps. */
export const SATURATED_UNIT_FRACTION = 0.5;
/** Histogram bins over a gate's range ([0, 1] for σ gates, [−1, 1] for tanh candidates). */
export const HISTOGRAM_BINS = 20;
/** Steps shown on each side of a marked step in the heatmap. */
export const HEATMAP_HALF_WINDOW = 8;

/** The definition printed with the gate statistics. */
export const SATURATION_DEFINITION = `As in Karpathy, Johnson & Fei-Fei (2015), a gate activation is left-saturated below ${LEFT_SATURATED} and right-saturated above ${RIGHT_SATURATED}. For each unit we measure the fraction of (valid) time steps of held-out sequences it spends left-/right-saturated; a unit counts as left-/right-saturated when that fraction exceeds ${SATURATED_UNIT_FRACTION}. The tables give the share of such units per gate; the charts show every unit.`;

/**
 * Statistics of one gate over held-out sequences: a histogram of all valid activations, and per unit the fraction
 * of valid steps it is left-/right-saturated (σ gates only; `sigmoid: false` for tanh candidates).
 * `values` is [B, T, H] row-major; steps at or past `lengths[b]` are left out.
 */
export function gateStatistics(
  gate: string,
  values: Float32Array,
  shape: readonly [number, number, number],
  lengths: readonly number[] | null,
  sigmoid: boolean,
): GateStat {
  const [B, T, H] = shape;
  const [lo, hi] = sigmoid ? [0, 1] : [-1, 1];
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const left = new Array<number>(H).fill(0);
  const right = new Array<number>(H).fill(0);
  let valid = 0;
  let sum = 0;
  for (let b = 0; b < B; b++) {
    const length = lengths ? lengths[b]! : T;
    for (let t = 0; t < length; t++) {
      valid++;
      for (let j = 0; j < H; j++) {
        const v = values[(b * T + t) * H + j]!;
        sum += v;
        counts[Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * HISTOGRAM_BINS)))]! += 1;
        if (v < LEFT_SATURATED) left[j]! += 1;
        if (v > RIGHT_SATURATED) right[j]! += 1;
      }
    }
  }
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => lo + ((hi - lo) * i) / HISTOGRAM_BINS);
  const mean = valid > 0 ? sum / (valid * H) : Number.NaN;
  if (!sigmoid || valid === 0) return { gate, sigmoid, histogram: { edges, counts }, mean, leftFraction: null, rightFraction: null, leftSaturatedUnits: null, rightSaturatedUnits: null };
  const leftFraction = left.map((n) => n / valid);
  const rightFraction = right.map((n) => n / valid);
  const share = (fractions: number[]): number => fractions.filter((f) => f > SATURATED_UNIT_FRACTION).length / H;
  return { gate, sigmoid, histogram: { edges, counts }, mean, leftFraction, rightFraction, leftSaturatedUnits: share(leftFraction), rightSaturatedUnits: share(rightFraction) };
}

/**
 * The steps shown in the heatmap: HEATMAP_HALF_WINDOW steps on each side of each marked step (merged when they
 * overlap), in order.
 */
export function heatmapSteps(seqLen: number, marks: readonly number[]): number[] {
  const steps = new Set<number>();
  for (const m of marks) {
    for (let t = Math.max(0, m - HEATMAP_HALF_WINDOW); t <= Math.min(seqLen - 1, m + HEATMAP_HALF_WINDOW); t++) steps.add(t);
  }
  return [...steps].sort((a, b) => a - b);
}

/** The recorded [B, T, H] activations of the gate `name`; the recording's kind decides which names exist. */
function gateTensor(rec: GateRecording, name: string): tf.Tensor3D {
  const gates: Readonly<Record<string, tf.Tensor3D | undefined>> = { ...rec.gates };
  const tensor = gates[name];
  if (tensor === undefined) throw new ArgumentError('gate', `one of ${Object.keys(gates).join(', ')} (a ${rec.kind} gate)`, name);
  return tensor;
}

const GATE_ORDER = { lstm: ['input', 'forget', 'cell', 'output'], gru: ['reset', 'update', 'candidate'] } as const;
const TANH_GATES = new Set(['cell', 'candidate']);

/**
 * Gate statistics of a trained LSTM/GRU on the task's held-out sample batch (`sampleInput(64)`), and — when the
 * task has a marked example (the adding problem) — the forget (LSTM) or update (GRU) gate over time around the
 * two marked steps. Uses {@link recordGates} (the top layer, forward direction).
 */
export function measureGates(model: SequenceModel, task: RecurrentTask, meta: Pick<GateStatsRecord, 'task' | 'model' | 'seed'>): GateStatsRecord {
  const kind = model.rnn.kind;
  if (kind === 'rnn') throw new ArgumentError('model', 'an LSTM or GRU (a vanilla RNN has no gates)', 'rnn');
  const sample = task.sampleInput(64);
  const lengths = sample.lengths ? Array.from(sample.lengths.dataSync()) : null;
  const rec = recordGates(model, sample.x, lengths ? { lengths } : {});
  let gates: GateStat[];
  let shape: [number, number, number];
  try {
    const first = gateTensor(rec, GATE_ORDER[kind][0]);
    shape = [first.shape[0], first.shape[1], first.shape[2]];
    gates = GATE_ORDER[kind].map((name) => gateStatistics(name, gateTensor(rec, name).dataSync() as Float32Array, shape, lengths, !TANH_GATES.has(name)));
  } finally {
    disposeGateRecording(rec);
    tf.dispose([sample.x, ...(sample.lengths ? [sample.lengths] : [])]);
  }
  let heatmap: GateHeatmap | undefined;
  if (task.markedExample) {
    const example = task.markedExample();
    const one = recordGates(model, example.x);
    try {
      const gate = kind === 'lstm' ? 'forget' : 'update';
      const tensor = gateTensor(one, gate);
      const [, T, H] = tensor.shape;
      const data = tensor.dataSync();
      const steps = heatmapSteps(T, example.marks);
      heatmap = { gate, seqLen: T, marks: [...example.marks], steps, values: steps.map((t) => Array.from(data.subarray(t * H, (t + 1) * H))) };
    } finally {
      disposeGateRecording(one);
      example.x.dispose();
    }
  }
  return { ...meta, kind, examples: shape[0], seqLen: shape[1], gates, ...(heatmap ? { heatmap } : {}) };
}
