import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attentionCharts, g2pSection } from '../g2p-report.js';
import type { Budget, ResultsFile } from '../results.js';
import { renderSvg } from '../charts.js';
import { G2PVocabulary } from '@gated/datasets-text';
import { type EncoderDecoderTask, recurrentTask } from './task.js';
import { Seq2Seq } from '@gated/seq2seq';
import { G2P_BUDGETS, g2pArchitecture, g2pBatches, g2pModelOptions, trainG2P } from './text-g2p.js';
import { g2pShape } from './text-g2p-seed.js';
import { g2pStepFlops, textG2P, textG2PPlain } from './text-g2p-task.js';

const TINY: Budget = { hiddenSize: 16, steps: 4, batchSize: 8, learningRate: 0.01, maxEvalExamples: 20, curvePoints: 2 };
let attending: EncoderDecoderTask;
let plain: EncoderDecoderTask;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  attending = await textG2P.prepare(TINY);
  plain = await textG2PPlain.prepare(TINY);
});
afterAll(() => {
  attending.dispose();
  plain.dispose();
});

const request = (task: EncoderDecoderTask, model: 'lstm' | 'gru', recordGates: boolean, onSteps: (n: number) => void = () => {}) => ({
  definition: textG2P,
  task,
  unit: { task: 'text-g2p' as const, model, sizing: 'equal-hidden' as const },
  hiddenSize: TINY.hiddenSize,
  budget: TINY,
  seed: 0,
  probeGradientFlow: false,
  recordGates,
  onSteps,
});

describe('text-g2p in the grid', () => {
  it('a seed trains its steps, reports PER as the metric with WER beside it, and the first seed records attention maps', async () => {
    const before = tf.memory().numTensors;
    let steps = 0;
    const outcome = await attending.runSeed!(request(attending, 'lstm', true, (n) => (steps += n)));
    expect(tf.memory().numTensors).toBe(before);
    expect(steps).toBe(TINY.steps);
    expect(outcome.result.metric).toBeGreaterThan(0);
    expect(outcome.result.extraMetrics['wer']).toBeGreaterThan(0);
    expect(outcome.result.extraMetrics['wer']).toBeLessThanOrEqual(1);
    expect(outcome.result.curve.evalStep).toEqual([2, 4]);
    const maps = outcome.attentionMaps!;
    expect(maps).toHaveLength(3);
    for (const m of maps) {
      expect(m.graphemes.join('')).toBe(m.word.toLowerCase());
      expect(m.weights.length).toBe(m.phonemes.length);
      for (const row of m.weights) {
        expect(row).toHaveLength(m.graphemes.length);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
      }
    }
    // Training is a function of the seed: the same seed gives the same score.
    expect((await attending.runSeed!(request(attending, 'lstm', false))).result.metric).toBe(outcome.result.metric);
  });

  it('the baseline has no attention to map, and the two tasks score the same test words', async () => {
    const outcome = await plain.runSeed!(request(plain, 'gru', true));
    expect(outcome.attentionMaps).toBeUndefined();
    expect(plain.evaluation).toEqual(attending.evaluation);
    expect(attending.evaluation.final).toMatchObject({ split: 'test', examples: 20, unit: 'words', sampling: 'random' });
  });

  it('the speed phase measures training steps and greedy decoding in tfjs and onnxruntime', async () => {
    const before = tf.memory().numTensors;
    const speed = await attending.runSpeed!(request(attending, 'gru', false));
    expect(tf.memory().numTensors).toBe(before);
    expect(speed.trainStepMs).toBeGreaterThan(0);
    expect(speed.inferLatencyMs.tfjs).toBeGreaterThan(0);
    expect(speed.inferLatencyMs.onnxruntime).toBeGreaterThan(0);
    expect(speed.throughputPerSec.onnxruntime).toBeGreaterThan(0);
    expect(speed.peakTensorBytes).toBeGreaterThan(0);
  });

  it('is an encoder–decoder task: it has no forward-pass members that could throw, and a command asking for a recurrent task gets a typed error', () => {
    expect(attending.kind).toBe('encoder-decoder');
    expect('evaluate' in attending || 'sampleInput' in attending || 'loss' in attending).toBe(false);
    expect(() => recurrentTask(attending, 'text-g2p')).toThrow(expect.objectContaining({ code: 'GATED_TASK_KIND' }));
  });

  it('the grid trains attention without input feeding, the paper budget with it; the baseline never feeds', () => {
    const vocabulary = new G2PVocabulary();
    expect(g2pModelOptions('lstm', true, g2pShape(64), vocabulary, 0)).toMatchObject({ attention: 'general', inputFeeding: false });
    expect(g2pModelOptions('lstm', true, G2P_BUDGETS.paper, vocabulary, 0)).toMatchObject({ attention: 'general', inputFeeding: true });
    expect(g2pModelOptions('gru', false, G2P_BUDGETS.paper, vocabulary, 0)).toMatchObject({ attention: 'none', inputFeeding: false });
    // What results.json records of the shape, read from the options the task builds.
    expect(attending.architecture).toBe('bidirectional encoder, 1 layer, general attention, no input feeding, greedy decoding');
    expect(plain.architecture).toBe('bidirectional encoder, 1 layer, no attention, greedy decoding');
    expect(g2pArchitecture(g2pModelOptions('lstm', true, G2P_BUDGETS.paper, vocabulary, 0))).toBe('bidirectional encoder, 2 layers, general attention, input feeding, greedy decoding');
    expect(g2pArchitecture({ attention: 'dot' })).toBe('bidirectional encoder, 1 layer, dot attention, input feeding, greedy decoding');
  });

  it("trains at the schedule's rate step by step: a cosine warm-up's first step equals a constant-rate step at base / warm-up", async () => {
    const vocabulary = new G2PVocabulary();
    const data = {
      trainPairs: [
        { source: vocabulary.encodeWord('cat'), target: vocabulary.encodePhonemes(['K', 'AE', 'T']) },
        { source: vocabulary.encodeWord('ox'), target: vocabulary.encodePhonemes(['AA', 'K', 'S']) },
      ],
    };
    const oneStep = async (budget: Parameters<typeof trainG2P>[2]): Promise<number[]> => {
      const model = new Seq2Seq(g2pModelOptions('lstm', true, g2pShape(16), vocabulary, 0));
      await trainG2P(model, data, budget, 0, () => 'stop');
      const weights = Object.values(model.parameters()).flatMap((v) => Array.from(v.dataSync()));
      model.dispose();
      return weights;
    };
    const before = tf.memory().numTensors;
    const warm = await oneStep({ steps: 8, batchSize: 2, learningRate: 0.02, schedule: { kind: 'cosine', warmupSteps: 4 } });
    expect(warm).toEqual(await oneStep({ steps: 8, batchSize: 2, learningRate: 0.005 }));
    expect(warm).not.toEqual(await oneStep({ steps: 8, batchSize: 2, learningRate: 0.02 }));
    expect(tf.memory().numTensors).toBe(before);
  });

  it("trains on g2pBatches' draws in order: each step's loss is the untrained model's loss on the next drawn batch at lr 0", async () => {
    const vocabulary = new G2PVocabulary();
    const words: [string, string[]][] = [['cat', ['K', 'AE', 'T']], ['ox', ['AA', 'K', 'S']], ['bee', ['B', 'IY']], ['dog', ['D', 'AO', 'G']], ['a', ['AH']]];
    const data = { trainPairs: words.map(([w, p]) => ({ source: vocabulary.encodeWord(w), target: vocabulary.encodePhonemes(p) })) };
    const model = new Seq2Seq(g2pModelOptions('gru', true, g2pShape(16), vocabulary, 0));
    const before = tf.memory().numTensors;
    const next = g2pBatches(data, 3, 7);
    const expected = Array.from({ length: 4 }, () => {
      const batch = next();
      const loss = model.loss({ source: batch.map((p) => p.source), target: batch.map((p) => p.target) });
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    });
    const losses: number[] = [];
    // A zero rate leaves the weights as they are, so every step's loss is the initial model's on that step's batch.
    await trainG2P(model, data, { steps: 4, batchSize: 3, learningRate: 0 }, 7, (_step, loss) => {
      losses.push(loss);
    });
    expect(losses).toEqual(expected);
    expect(new Set(losses).size).toBeGreaterThan(1);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('counts more FLOPs with attention than without, and for the LSTM than for the GRU', () => {
    const shape = { kind: 'lstm' as const, attention: true, hiddenSize: 64, embeddingDim: 32, targetVocabSize: 42, sourceLen: 8, targetLen: 7, batchSize: 32 };
    expect(g2pStepFlops(shape)).toBeGreaterThan(g2pStepFlops({ ...shape, attention: false }));
    expect(g2pStepFlops(shape)).toBeGreaterThan(g2pStepFlops({ ...shape, inputFeeding: false }));
    expect(g2pStepFlops(shape)).toBeGreaterThan(g2pStepFlops({ ...shape, kind: 'gru' }));
    expect(g2pStepFlops({ ...shape, batchSize: 64 })).toBe(2 * g2pStepFlops(shape));
    expect(attending.stepFlops!('lstm', 16, 8)).toBeGreaterThan(plain.stepFlops!('lstm', 16, 8));
  });

  it('the report gets a Published results section with citations and an attention heatmap that renders to SVG', async () => {
    const outcome = await attending.runSeed!(request(attending, 'gru', true));
    const results = {
      runs: [
        {
          task: 'text-g2p',
          model: 'gru',
          sizing: 'equal-hidden',
          config: { hiddenSize: 16, steps: 4, batchSize: 8, evaluation: attending.evaluation, architecture: attending.architecture },
          seeds: [{}, {}],
          metric: { name: 'phoneme error rate', mean: 0.2, std: 0.01, higherIsBetter: false },
          extraMetrics: { wer: { mean: 0.6, std: 0.02 } },
        },
      ],
      attentionMaps: outcome.attentionMaps,
    } as unknown as ResultsFile;
    const section = g2pSection(results)!;
    expect(section.title).toBe('Published results (text-g2p)');
    expect(section.rows[0]![0]).toBe('GRU encoder–decoder, bidirectional encoder, 1 layer, general attention, no input feeding, greedy decoding');
    expect(section.rows[0]!.slice(2, 4)).toEqual(['20.00 ± 1.00', '60.00 ± 2.00']);
    expect(section.rows.map((r) => r[1]).join(' ')).toMatch(/Yao & Zweig 2015.*Toshniwal & Livescu 2016/);
    expect(section.rows.every((r) => r[4] !== '')).toBe(true);
    const [chart] = attentionCharts(results);
    const svg = await renderSvg(chart!.spec);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain(outcome.attentionMaps![0]!.word);
  });
});
