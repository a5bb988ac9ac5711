import { SequenceModel } from '@gated/cells';
import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { HEATMAP_HALF_WINDOW, gateStatistics, heatmapSteps, measureGates } from './gate-stats.js';
import { memoryAdding } from './tasks/memory-adding.js';
import { markedExample } from './tasks/horizon-sweep.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('gate statistics', () => {
  it('histogram and per-unit saturation count only valid steps, with the 0.1 / 0.9 thresholds', () => {
    // B 2, T 3, H 2; sequence 1 has length 1, so its steps 1 and 2 (value 0.95 / 0.05) are left out.
    const values = Float32Array.from([
      0.04, 0.96, 0.04, 0.5, 0.5, 0.96, // b 0
      0.96, 0.04, 0.96, 0.04, 0.96, 0.04, // b 1
    ]);
    const s = gateStatistics('forget', values, [2, 3, 2], [3, 1], true);
    // Unit 0 valid values: 0.04, 0.04, 0.5, 0.96 → left 2/4, right 1/4. Unit 1: 0.96, 0.5, 0.96, 0.04 → left 1/4, right 2/4.
    expect(s.leftFraction).toEqual([0.5, 0.25]);
    expect(s.rightFraction).toEqual([0.25, 0.5]);
    // "Saturated units" need more than half the time: none here.
    expect(s.leftSaturatedUnits).toBe(0);
    expect(s.histogram.counts.reduce((a, c) => a + c, 0)).toBe(8);
    expect(s.histogram.counts[0]).toBe(3); // 0.04 falls in [0, 0.05)
    expect(s.histogram.counts[10]).toBe(2);
    expect(s.histogram.counts[19]).toBe(3);
    expect(s.mean).toBeCloseTo((0.04 + 0.96 + 0.04 + 0.5 + 0.5 + 0.96 + 0.96 + 0.04) / 8, 6);
    const always = gateStatistics('update', Float32Array.from([0.99, 0.01, 0.98, 0.02]), [1, 2, 2], null, true);
    expect([always.leftSaturatedUnits, always.rightSaturatedUnits]).toEqual([0.5, 0.5]);
    const tanh = gateStatistics('cell', Float32Array.from([-1, 1]), [1, 1, 2], null, false);
    expect(tanh.histogram.edges[0]).toBe(-1);
    expect(tanh.leftFraction).toBeNull();
  });

  it('heatmap steps are the windows around both marks, merged and clipped', () => {
    expect(heatmapSteps(100, [2, 60])).toEqual([
      ...Array.from({ length: 2 + HEATMAP_HALF_WINDOW + 1 }, (_, t) => t),
      ...Array.from({ length: 2 * HEATMAP_HALF_WINDOW + 1 }, (_, i) => 60 - HEATMAP_HALF_WINDOW + i),
    ]);
    expect(heatmapSteps(20, [5, 9])).toEqual(Array.from({ length: 18 }, (_, t) => t));
  });

  it('measures a trained model on the task sample and records the forget gate around the two marks', async () => {
    const task = await memoryAdding.prepare({ ...memoryAdding.budgets.quick, seqLen: 30 });
    const withMarks = { ...task, markedExample: () => markedExample(30) };
    const model = new SequenceModel({ kind: 'lstm', inputSize: 2, hiddenSize: 4, outputSize: 1, pooling: 'last', seed: 1 });
    const before = tf.memory().numTensors;
    const rec = measureGates(model, withMarks, { task: 'memory-adding', model: 'lstm', seed: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(rec.gates.map((g) => g.gate)).toEqual(['input', 'forget', 'cell', 'output']);
    expect(rec.examples).toBe(64);
    expect(rec.gates[1]!.leftFraction).toHaveLength(4);
    const example = markedExample(30);
    expect(rec.heatmap!.marks).toEqual([...example.marks]);
    expect(rec.heatmap!.steps).toEqual(heatmapSteps(30, example.marks));
    expect(rec.heatmap!.values[0]).toHaveLength(4);
    example.x.dispose();
    model.dispose();
    task.dispose();
  });
});

describe('the marked example of the sweep', () => {
  it('has exactly two marks, one in each half, at the steps it reports', () => {
    const { x, marks } = markedExample(200);
    const markers = Array.from({ length: 200 }, (_, t) => x.dataSync()[2 * t + 1]);
    expect(markers.filter((m) => m === 1)).toHaveLength(2);
    expect(markers[marks[0]]).toBe(1);
    expect(markers[marks[1]]).toBe(1);
    expect(marks[0]).toBeLessThan(100);
    expect(marks[1]).toBeGreaterThanOrEqual(100);
    x.dispose();
  });
});
