import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSettings } from './protocol.js';
import { PROBE_COUNT, createSession, disposeSession, exportModel, inspect, sampleText, trainStep } from './session.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const adding: RunSettings = { task: 'adding', seqLen: 12, hiddenSize: 8, batchSize: 16, learningRate: 0.01, steps: 100, seed: 3 };
const charLm: RunSettings = { task: 'char-lm', seqLen: 10, hiddenSize: 8, batchSize: 8, learningRate: 0.01, steps: 100, seed: 3 };

describe('a training session (what each worker runs)', () => {
  it('the same seed gives the same losses, step after step, for LSTM and GRU', () => {
    for (const kind of ['lstm', 'gru'] as const) {
      const [a, b] = [createSession(kind, adding), createSession(kind, adding)];
      const losses = (s: typeof a): number[] => Array.from({ length: 3 }, () => trainStep(s).loss);
      expect(losses(a)).toEqual(losses(b));
      expect(a.step).toBe(3);
      disposeSession(a);
      disposeSession(b);
    }
  });

  it('training on the adding problem leaves no tensor behind between steps', () => {
    const s = createSession('lstm', adding);
    trainStep(s);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) trainStep(s);
    expect(tf.memory().numTensors).toBe(before);
    disposeSession(s);
  });

  it('inspection records each gate as [probes, T, H] values in [0, 1] and one gradient norm per step; the LSTM worker adds the RNN baseline', () => {
    const lstm = createSession('lstm', adding);
    const gru = createSession('gru', adding);
    const before = tf.memory().numTensors;
    const a = inspect(lstm);
    const b = inspect(gru);
    expect(tf.memory().numTensors).toBe(before);
    expect(a.gates.map((g) => g.name)).toEqual(['input', 'forget', 'output', 'cell state']);
    expect(b.gates.map((g) => g.name)).toEqual(['reset', 'update']);
    for (const g of [...a.gates, ...b.gates]) {
      expect(g.values.shape).toEqual([PROBE_COUNT, adding.seqLen, adding.hiddenSize]);
      if (g.isGate) expect(g.values.values.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
    expect(a.gradientFlow).toHaveLength(adding.seqLen);
    expect(a.rnnGradientFlow).toHaveLength(adding.seqLen);
    expect(b.initialGradientFlow).toHaveLength(adding.seqLen);
    // Nothing trained yet: the model at initialisation is the model.
    expect(b.initialGradientFlow).toEqual(b.gradientFlow);
    expect(b.rnnGradientFlow).toBeUndefined();
    // Every probe sequence of the adding problem has exactly two marked steps.
    for (const row of a.labels) expect(row.filter((l) => l.startsWith('mark')).length).toBe(2);
    disposeSession(lstm);
    disposeSession(gru);
  });

  it('the char LM trains on token ids, exports an int32-input ONNX model, and samples the same text for the same seed', () => {
    const s = createSession('gru', charLm);
    expect(Number.isFinite(trainStep(s).loss)).toBe(true);
    const { onnx, input, output } = exportModel(s);
    expect(input.dtype).toBe('int32');
    expect(output.shape).toEqual([PROBE_COUNT, charLm.seqLen, s.model.config.outputSize]);
    expect(onnx.length).toBeGreaterThan(1000);
    const before = tf.memory().numTensors;
    const text = sampleText(s, 'Call me ', 40, 0.8);
    expect(tf.memory().numTensors).toBe(before);
    expect(text).toHaveLength(40);
    expect(text).not.toMatch(/<(pad|unk|bos|eos)>/);
    expect(sampleText(s, 'Call me ', 40, 0.8)).toBe(text);
    expect(() => sampleText(s, 'x', 5, 0)).toThrow(/temperature must be > 0/);
    disposeSession(s);
  });

  it('the CO2 forecast trains on standardised months and probes only months held out from training', () => {
    const co2: RunSettings = { task: 'co2', seqLen: 12, hiddenSize: 8, batchSize: 8, learningRate: 0.01, steps: 100, seed: 3 };
    const s = createSession('lstm', co2);
    expect(Number.isFinite(trainStep(s).loss)).toBe(true);
    const { labels, gates } = inspect(s);
    expect(gates[0]?.values.shape).toEqual([PROBE_COUNT, 12, 8]);
    // 746 months from 1958-03 (5 interpolated); the last 20 % start in 2007.
    for (const row of labels) {
      expect(row).toHaveLength(12);
      expect((row[0] ?? '') >= '2007-11').toBe(true);
    }
    disposeSession(s);
  });

  it('an unknown task is refused, naming the known ones', () => {
    expect(() => createSession('lstm', { ...adding, task: 'speech' as RunSettings['task'] })).toThrow(/unknown task "speech": expected one of adding, char-lm, co2/);
  });
});
