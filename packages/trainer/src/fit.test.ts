import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type Batch, type Dataset, inMemoryDataset, initBackend, LanguageModelDataset, streamingDataset, tensorDataset } from '@gated/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointPath } from './checkpoint.js';
import { CheckpointError, EmptyDatasetError, NonFiniteError, ShapeMismatchError } from './errors.js';
import { evaluate } from './evaluate.js';
import { type FitOptions, fit } from './fit.js';
import { SGD } from './sgd.js';
import { cosineSchedule, stepSchedule } from './schedule.js';
import { patternTokens, signExamples } from './test-utils/data.js';
import { TinyRnn } from './test-utils/tiny-rnn.js';
import { first, last, present, series } from './test-utils/present.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'gated-fit-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const weights = (model: TinyRnn) => Object.fromEntries(Object.entries(model.parameters()).map(([k, v]) => [k, Array.from(v.dataSync())]));
const quiet = { progress: 'none' } as const;

describe('fit on a sequence classifier', () => {
  it('learns a ragged sequence-to-one task and reports loss, accuracy and validation each epoch', async () => {
    const model = new TinyRnn({ inputSize: 2, hiddenSize: 8, outputSize: 2, perStep: false, seed: 1 });
    const train = inMemoryDataset(signExamples(128, 1), { batchSize: 16, shuffle: true, seed: 2, yDtype: 'int32' });
    const val = inMemoryDataset(signExamples(64, 2), { batchSize: 32, yDtype: 'int32' });
    const before = tf.memory().numTensors;
    const result = await fit(model, train, { ...quiet, epochs: 6, validationData: val, optimizer: 'adam', learningRate: 0.03, metrics: ['accuracy'] });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.history['loss']).toHaveLength(6);
    expect(result.history['val_accuracy']).toHaveLength(6);
    expect(last(series(result, 'loss'))).toBeLessThan(first(series(result, 'loss')) * 0.6);
    expect(last(series(result, 'val_accuracy'))).toBeGreaterThan(0.85);
    expect(result.step).toBe(6 * 8);
    expect(result.steps.gradNorm).toHaveLength(48);
    expect(result.steps.gradNorm.every((n) => n > 0 && Number.isFinite(n))).toBe(true);
    expect(result.loss).toBe(result.steps.loss.at(-1));
    const evaluated = await evaluate(model, val, { metrics: ['accuracy'] });
    expect(evaluated['loss']).toBe(series(result, 'val_loss').at(-1));
    expect(evaluated['accuracy']).toBe(series(result, 'val_accuracy').at(-1));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('clipNorm bounds every SGD update by lr·clipNorm while the recorded norm is the unclipped one', async () => {
    const model = new TinyRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, perStep: false, seed: 3 });
    const data = inMemoryDataset(signExamples(32, 3), { batchSize: 8, yDtype: 'int32' });
    const moves: number[] = [];
    let previous = Object.values(weights(model)).flat();
    const result = await fit(model, data, {
      ...quiet,
      epochs: 1,
      optimizer: 'sgd',
      learningRate: 1,
      clipNorm: 0.01,
      callbacks: {
        onBatchEnd() {
          const now = Object.values(weights(model)).flat();
          moves.push(Math.sqrt(now.reduce((s, v, i) => s + (v - present(previous[i], `weight ${i}`)) ** 2, 0)));
          previous = now;
        },
      },
    });
    expect(result.steps.gradNorm.some((n) => n > 0.05)).toBe(true);
    for (const m of moves) expect(m).toBeLessThanOrEqual(0.01 * (1 + 1e-4));
    model.dispose();
  });

  it('clipValue bounds every element of an SGD update, and the schedule sets each step\'s learning rate', async () => {
    const model = new TinyRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, perStep: false, seed: 3 });
    const data = inMemoryDataset(signExamples(32, 3), { batchSize: 8, yDtype: 'int32' });
    let previous = Object.values(weights(model)).flat();
    let largest = 0;
    const result = await fit(model, data, {
      ...quiet,
      epochs: 2,
      optimizer: 'sgd',
      learningRate: 1,
      clipValue: 0.001,
      schedule: stepSchedule({ stepSize: 4, gamma: 0.5 }),
      callbacks: {
        onBatchEnd(logs) {
          const now = Object.values(weights(model)).flat();
          largest = Math.max(largest, ...now.map((v, i) => Math.abs(v - present(previous[i], `weight ${i}`)) / logs.learningRate));
          previous = now;
        },
      },
    });
    expect(largest).toBeLessThanOrEqual(0.001 * (1 + 1e-3));
    expect(largest).toBeGreaterThan(0.0009);
    expect(result.steps.learningRate).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5]);
    model.dispose();
  });

  it('per-step targets: padded positions do not count (the loss of a ragged batch is the token-weighted mean of its sequences), with or without tbptt', async () => {
    const a = { x: [0, 1, 2, 3], y: [1, 2, 3, 0] };
    const b = { x: [3, 2], y: [2, 1] };
    const lossOf = async (examples: { x: number[]; y: number[] }[], extra: FitOptions = {}) => {
      const model = new TinyRnn({ vocabSize: 4, hiddenSize: 4, outputSize: 4, perStep: true, seed: 12 });
      const data = inMemoryDataset(examples, { batchSize: 2, perStepTargets: true, yDtype: 'int32' });
      const r = await fit(model, data, { ...quiet, optimizer: 'sgd', learningRate: 0, ...extra });
      model.dispose();
      return r.loss;
    };
    const both = await lossOf([a, b]);
    const expected = (4 * (await lossOf([a])) + 2 * (await lossOf([b]))) / 6;
    expect(both).toBeCloseTo(expected, 6);
    // Truncated BPTT cuts the gradient, not the forward pass: the same loss, padding still masked.
    expect(await lossOf([a, b], { tbptt: 3 })).toBeCloseTo(both, 6);
  });

  it('regression with mse reports MAE and RMSE, and RMSE² equals the loss', async () => {
    const model = new TinyRnn({ inputSize: 2, hiddenSize: 6, outputSize: 1, perStep: false, seed: 2 });
    const examples = signExamples(64, 4).map((e) => ({ x: e.x, y: [(e.x as number[][]).reduce((s, r) => s + present(r[0], 'feature 0'), 0) / 4] }));
    const data = inMemoryDataset(examples, { batchSize: 16 });
    const result = await fit(model, data, { ...quiet, epochs: 8, optimizer: 'adam', learningRate: 0.02, metrics: ['mae', 'rmse'] });
    const [loss, mae, rmse] = [series(result, 'loss'), series(result, 'mae'), series(result, 'rmse')];
    expect(last(loss)).toBeLessThan(first(loss) * 0.5);
    expect(last(rmse) ** 2).toBeCloseTo(last(loss), 10);
    expect(last(mae)).toBeLessThanOrEqual(last(rmse));
    await expect(fit(model, data, { ...quiet, metrics: ['accuracy'] })).rejects.toThrow(/metrics: expected metrics that fit loss "mse"/);
    model.dispose();
  });

  it('a shape mismatch and an empty dataset are clear errors before any weight changes', async () => {
    const model = new TinyRnn({ inputSize: 3, hiddenSize: 4, outputSize: 2, perStep: false });
    const start = weights(model);
    const data = inMemoryDataset(signExamples(8, 1), { batchSize: 4, yDtype: 'int32' });
    await expect(fit(model, data, quiet)).rejects.toThrow(ShapeMismatchError);
    const wrongClasses = new TinyRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, perStep: true });
    await expect(fit(wrongClasses, data, quiet)).rejects.toThrow(/targets y for crossEntropy: expected class ids \[4, \d+\]/);
    const good = new TinyRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, perStep: false });
    const goodStart = weights(good);
    const badValidation = inMemoryDataset([{ x: [[1, 2, 3]], y: 0 }], { batchSize: 1, yDtype: 'int32' });
    await expect(fit(good, data, { ...quiet, validationData: badValidation })).rejects.toThrow(/validationData x features: expected 2 \(the model's inputSize\), got x \[1, 1, 3\]/);
    expect(weights(good)).toEqual(goodStart);
    good.dispose();
    const empty: Dataset = { size: 0, async *[Symbol.asyncIterator]() {} };
    await expect(fit(model, empty, quiet)).rejects.toThrow(EmptyDatasetError);
    const silent: Dataset = { async *[Symbol.asyncIterator]() {} };
    await expect(fit(model, silent, quiet)).rejects.toThrow(/trainData: expected at least one batch/);
    expect(weights(model)).toEqual(start);
    model.dispose();
    wrongClasses.dispose();
  });

  it('a NaN loss stops with an error naming the step, or skips the batch when configured', async () => {
    const model = new TinyRnn({ inputSize: 2, hiddenSize: 4, outputSize: 1, perStep: false });
    const values = Array.from({ length: 8 * 3 * 2 }, (_, i) => Math.sin(i));
    values[2 * 3 * 2 * 2 + 1] = Number.NaN; // inside the third batch of 2 examples
    const x = tf.tensor3d(values, [8, 3, 2]);
    const y = tf.zeros([8, 1]);
    const data = tensorDataset({ x, y }, { batchSize: 2 });
    const beforeError = tf.memory().numTensors;
    const error = await fit(model, data, { ...quiet, optimizer: 'sgd' }).catch((e: unknown) => e);
    expect(tf.memory().numTensors).toBe(beforeError);
    expect(error).toBeInstanceOf(NonFiniteError);
    expect((error as NonFiniteError).details.step).toBe(3);
    expect((error as Error).message).toMatch(/loss is NaN at step 3/);
    const before = tf.memory().numTensors;
    const skipped = await fit(model, data, { ...quiet, optimizer: 'sgd', onNonFinite: 'skip' });
    expect(skipped.skippedSteps).toBe(1);
    expect(skipped.step).toBe(4);
    expect(Object.values(weights(model)).flat().every(Number.isFinite)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('early stopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    const model = new TinyRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, perStep: false });
    const data = inMemoryDataset(signExamples(16, 5), { batchSize: 8, yDtype: 'int32' });
    const snapshots: Record<string, number[]>[] = [];
    const result = await fit(model, data, {
      ...quiet,
      epochs: 20,
      optimizer: 'sgd',
      learningRate: 0.01,
      // No later epoch can beat epoch 0 by this much, so training stops after epoch 0 + patience.
      earlyStopping: { monitor: 'loss', patience: 2, minDelta: 100 },
      callbacks: { onEpochEnd: () => void snapshots.push(weights(model)) },
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.epoch).toBe(3);
    expect(result.best).toEqual({ epoch: 0, value: series(result, 'loss')[0], monitor: 'loss' });
    expect(weights(model)).toEqual(snapshots[0]);
    expect(snapshots[2]).not.toEqual(snapshots[0]);
    model.dispose();
  });

  it('keeps tf.memory().numTensors flat over 1,000 steps', async () => {
    const model = new TinyRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, perStep: false });
    const data = inMemoryDataset(
      signExamples(4, 9).map((e) => ({ ...e, x: (e.x as number[][]).slice(0, 2) })),
      { batchSize: 2, yDtype: 'int32' },
    );
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const result = await fit(model, data, {
      ...quiet,
      steps: 1000,
      optimizer: 'adamw',
      clipNorm: 1,
      callbacks: { onBatchEnd: (logs) => void (logs.step % 100 === 0 && counts.push(tf.memory().numTensors)) },
    });
    expect(result.step).toBe(1000);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('fit with truncated BPTT and stateful language models', () => {
  it('tbptt makes one update per chunk; tbptt ≥ T equals full BPTT', async () => {
    const data = new LanguageModelDataset(Int32Array.from(patternTokens(200)), { batchSize: 4, seqLen: 12 });
    const make = () => new TinyRnn({ vocabSize: 4, hiddenSize: 6, outputSize: 4, perStep: true, seed: 4 });
    const a = make();
    const optA = new SGD({ learningRate: 0.1 });
    await fit(a, data, { ...quiet, optimizer: optA, tbptt: 5 });
    // 49 steps per stream → 5 batches of 12,12,12,12,1 steps → chunks 3+3+3+3+1
    expect(optA.stepCount).toBe(13);
    const b = make();
    const c = make();
    await fit(b, data, { ...quiet, optimizer: 'sgd', tbptt: 12 });
    await fit(c, data, { ...quiet, optimizer: 'sgd' });
    expect(weights(b)).toEqual(weights(c));
    optA.dispose();
    for (const m of [a, b, c]) m.dispose();
  });

  it('tbptt carries the state into the next chunk and cuts the gradient there (checked against a hand-written loop)', async () => {
    const tokens = [[0, 1, 2, 3, 2, 1], [1, 2, 3, 2, 1, 0]];
    const x = tf.tensor2d(tokens.map((r) => r.slice(0, 6)), [2, 6], 'int32');
    const y = tf.tensor2d(tokens.map((r) => [...r.slice(1), present(r[0], 'a first token')]), [2, 6], 'int32');
    const make = () => new TinyRnn({ vocabSize: 4, hiddenSize: 5, outputSize: 4, perStep: true, seed: 8 });
    const viaFit = make();
    await fit(viaFit, tensorDataset({ x, y }, { batchSize: 2 }), { ...quiet, optimizer: 'sgd', learningRate: 0.5, tbptt: 3 });
    const manual = make();
    const params = manual.parameters();
    let state: { hidden: tf.Tensor3D } | undefined;
    for (const start of [0, 3]) {
      const xs = tf.slice(x, [0, start], [2, 3]);
      const ys = tf.slice(y, [0, start], [2, 3]);
      let next: { hidden: tf.Tensor3D } | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const out = manual.forward(xs, { training: true, ...(state === undefined ? {} : { initialState: state }) });
        next = { hidden: tf.keep(out.state.hidden) };
        const logp = tf.logSoftmax(out.output);
        return tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(ys, 4), logp), -1))) as tf.Scalar;
      }, Object.values(params));
      for (const v of Object.values(params)) v.assign(tf.tidy(() => tf.sub(v, tf.mul(0.5, present(grads[v.name], `the gradient of ${v.name}`)))));
      tf.dispose([value, xs, ys, ...Object.values(grads), state?.hidden ?? []]);
      state = next;
    }
    state?.hidden.dispose();
    const a = weights(viaFit);
    const b = weights(manual);
    for (const k of Object.keys(a)) {
      const theirs = present(b[k], k);
      present(a[k], k).forEach((v, i) => {
        expect(v).toBeCloseTo(present(theirs[i], `${k}[${i}]`), 6);
      });
    }
    tf.dispose([x, y]);
    viaFit.dispose();
    manual.dispose();
  });

  it('tbptt with sequence-level targets: same forward loss as full BPTT, a truncated gradient, and sequences must reach the last chunk', async () => {
    const x = tf.tensor3d(Array.from({ length: 4 * 6 * 2 }, (_, i) => Math.sin(i * 0.7)), [4, 6, 2]);
    const y = tf.tensor1d([0, 1, 1, 0], 'int32');
    const lengths = tf.tensor1d([6, 5, 6, 6], 'int32');
    const data = tensorDataset({ x, y, lengths }, { batchSize: 4 });
    const make = () => new TinyRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, perStep: false, seed: 10 });
    const run = async (options: FitOptions) => {
      const model = make();
      const r = await fit(model, data, { ...quiet, optimizer: 'sgd', ...options });
      const w = weights(model);
      model.dispose();
      return { loss: r.loss, w };
    };
    const full = await run({ learningRate: 0 });
    const truncatedLoss = await run({ learningRate: 0, tbptt: 4 });
    expect(truncatedLoss.loss).toBeCloseTo(full.loss, 6);
    const fullStep = await run({ learningRate: 0.5 });
    const truncatedStep = await run({ learningRate: 0.5, tbptt: 4 });
    expect(truncatedStep.w['rnn.weight_ih']).not.toEqual(fullStep.w['rnn.weight_ih']);
    expect(present(truncatedStep.w['head.weight'], 'head.weight').map((v) => Number(v.toFixed(5)))).toEqual(present(fullStep.w['head.weight'], 'head.weight').map((v) => Number(v.toFixed(5))));
    const short = tf.tensor1d([6, 3, 6, 6], 'int32');
    const bad = tensorDataset({ x, y, lengths: short }, { batchSize: 4 });
    const model = make();
    await expect(fit(model, bad, { ...quiet, tbptt: 4 })).rejects.toThrow(/tbptt with sequence-level targets: expected every length > 4/);
    model.dispose();
    tf.dispose([x, y, lengths, short]);
  });

  it('stateful training carries the state across batches and learns the pattern', async () => {
    const data = new LanguageModelDataset(Int32Array.from(patternTokens(600)), { batchSize: 4, seqLen: 10 });
    const model = new TinyRnn({ vocabSize: 4, hiddenSize: 12, outputSize: 4, perStep: true, seed: 5 });
    const before = tf.memory().numTensors;
    const result = await fit(model, data, { ...quiet, epochs: 8, optimizer: 'adam', learningRate: 0.05, stateful: true, tbptt: 5, metrics: ['perplexity', 'bpc', 'accuracy'] });
    expect(tf.memory().numTensors).toBe(before);
    const ppl = series(result, 'perplexity');
    expect(last(ppl)).toBeLessThan(1.5);
    expect(first(ppl)).toBeGreaterThan(last(ppl));
    expect(last(series(result, 'bpc'))).toBeCloseTo(last(series(result, 'loss')) / Math.LN2, 10);
    model.dispose();
  });

  it('rejects stateful batches of different sizes', async () => {
    const x = tf.zeros([5, 3], 'int32');
    const y = tf.zeros([5, 3], 'int32');
    const data = tensorDataset({ x, y }, { batchSize: 2 });
    const model = new TinyRnn({ vocabSize: 4, hiddenSize: 3, outputSize: 4, perStep: true });
    await expect(fit(model, data, { ...quiet, stateful: true, epochs: 1 })).rejects.toThrow(/stateful training batch: expected 2 rows/);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('checkpoints', () => {
  const run = async (options: FitOptions, make: () => TinyRnn, data: () => Dataset) => {
    const model = make();
    const result = await fit(model, data(), { ...quiet, ...options });
    const w = weights(model);
    model.dispose();
    return { result, w };
  };

  const scenarios: { name: string; make: () => TinyRnn; data: () => Dataset; options: FitOptions; n: number }[] = [
    {
      name: 'shuffled ragged classification with dropout, AdamW, cosine warm-up, clipNorm and validation',
      make: () => new TinyRnn({ inputSize: 2, hiddenSize: 5, outputSize: 2, perStep: false, dropout: 0.3, seed: 6 }),
      data: () => inMemoryDataset(signExamples(40, 6), { batchSize: 6, shuffle: true, seed: 6, yDtype: 'int32' }),
      options: {
        optimizer: 'adamw',
        learningRate: 0.02,
        schedule: cosineSchedule({ totalSteps: 20, warmupSteps: 3 }),
        clipNorm: 0.5,
        seed: 11,
        metrics: ['accuracy'],
        validationData: inMemoryDataset(signExamples(12, 7), { batchSize: 6, yDtype: 'int32' }),
      },
      n: 10,
    },
    {
      name: 'stateful language model with tbptt and SGD Nesterov',
      make: () => new TinyRnn({ vocabSize: 4, hiddenSize: 5, outputSize: 4, perStep: true, seed: 7 }),
      data: () => new LanguageModelDataset(Int32Array.from(patternTokens(300)), { batchSize: 3, seqLen: 8 }),
      options: { optimizer: 'sgd', optimizerOptions: { momentum: 0.9, nesterov: true }, learningRate: 0.05, stateful: true, tbptt: 3 },
      n: 9,
    },
    ...[7, 5].map((n) => ({
      name: `a streaming source of unknown size with a shuffle buffer, stopping ${n === 5 ? 'exactly at an epoch end' : 'mid-epoch'}`,
      make: () => new TinyRnn({ inputSize: 2, hiddenSize: 4, outputSize: 2, perStep: false, seed: 9 }),
      data: () => streamingDataset(() => signExamples(20, 9), { batchSize: 4, shuffleBuffer: 8, seed: 3, yDtype: 'int32' }),
      options: { optimizer: 'rmsprop' as const, validationData: inMemoryDataset(signExamples(8, 10), { batchSize: 4, yDtype: 'int32' }), earlyStopping: { patience: 5 } },
      n,
    })),
  ];

  for (const s of scenarios) {
    it(`N steps, stop, resume to 2N gives exactly the weights and loss of 2N straight: ${s.name}`, async () => {
      const straight = await run({ ...s.options, steps: 2 * s.n }, s.make, s.data);
      const dir = tempDir();
      const first = await run({ ...s.options, steps: s.n, checkpointDir: dir }, s.make, s.data);
      expect(first.result.step).toBe(s.n);
      const resumed = await run({ ...s.options, steps: 2 * s.n, checkpointDir: dir, resume: true }, s.make, s.data);
      expect(resumed.result.step).toBe(2 * s.n);
      expect(resumed.result.loss).toBe(straight.result.loss);
      expect(resumed.w).toEqual(straight.w);
      expect(resumed.result.steps.loss).toEqual(straight.result.steps.loss);
      expect(resumed.result.history).toEqual(straight.result.history);
    });
  }

  it('writes a checkpoint every N steps and at the end, through a temp file, readable as safetensors', async () => {
    const dir = tempDir();
    const model = new TinyRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, perStep: false });
    const data = inMemoryDataset(signExamples(12, 1), { batchSize: 4, yDtype: 'int32' });
    const sizes: number[] = [];
    await fit(model, data, {
      ...quiet,
      steps: 7,
      checkpointDir: dir,
      checkpointEvery: 3,
      callbacks: {
        onBatchEnd: (l) => {
          if (l.step === 4) sizes.push(readFileSync(checkpointPath(dir)).length);
        },
      },
    });
    expect(sizes[0]).toBeGreaterThan(0);
    const { readSafetensorsFile } = await import('@gated/tensor');
    const file = await readSafetensorsFile(checkpointPath(dir));
    expect(Object.keys(file.tensors)).toEqual(expect.arrayContaining(['model.rnn.weight_ih', 'optimizer.rnn.weight_ih.exp_avg']));
    expect(JSON.parse(present(file.metadata['trainer'], 'trainer metadata')).step).toBe(7);
    // Written through a temp file renamed over the old one: nothing else is left in the folder.
    expect(readdirSync(dir)).toEqual(['checkpoint.safetensors']);
    model.dispose();
  });

  it('a corrupt, mismatched or missing checkpoint is a clear error, never a fresh start', async () => {
    const dir = tempDir();
    const make = (hiddenSize: number) => new TinyRnn({ inputSize: 2, hiddenSize, outputSize: 2, perStep: false });
    const data = inMemoryDataset(signExamples(8, 1), { batchSize: 4, yDtype: 'int32' });
    const m = make(3);
    await fit(m, data, { ...quiet, steps: 2, checkpointDir: dir });
    const other = make(4);
    await expect(fit(other, data, { ...quiet, steps: 4, checkpointDir: dir, resume: true })).rejects.toMatchObject({ code: 'GATED_CHECKPOINT_MISMATCH' });
    await expect(fit(m, data, { ...quiet, steps: 4, checkpointDir: dir, resume: true, optimizer: 'sgd' })).rejects.toThrow(/mismatch checkpoint: expected optimizer sgd/);
    await expect(fit(m, data, { ...quiet, steps: 4, checkpointDir: dir, resume: true, clipNorm: 1 })).rejects.toThrow(/expected run set-up/);
    const bytes = readFileSync(checkpointPath(dir));
    writeFileSync(checkpointPath(dir), bytes.subarray(0, bytes.length - 10));
    const error = await fit(m, data, { ...quiet, steps: 4, checkpointDir: dir, resume: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).code).toBe('GATED_CHECKPOINT_CORRUPT');
    const empty = tempDir();
    await expect(fit(m, data, { ...quiet, steps: 4, checkpointDir: empty, resume: true })).rejects.toMatchObject({ code: 'GATED_CHECKPOINT_NOT_FOUND' });
    const fresh = await fit(m, data, { ...quiet, steps: 1, checkpointDir: empty, resume: 'if-exists' });
    expect(fresh.step).toBe(1);
    m.dispose();
    other.dispose();
  });
});

describe('logging', () => {
  it('writes JSON lines per step and per epoch, and plain progress lines when not a TTY', async () => {
    const dir = tempDir();
    const model = new TinyRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, perStep: false });
    const data = inMemoryDataset(signExamples(8, 1), { batchSize: 4, yDtype: 'int32' });
    const written: string[] = [];
    const logFile = join(dir, 'log.jsonl');
    await fit(model, data, { epochs: 2, logFile, progress: 'lines', progressStream: { write: (t: string) => written.push(t), isTTY: false } });
    const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; step: number; loss: number });
    expect(lines.map((l) => l.event)).toEqual(['step', 'step', 'epoch', 'step', 'step', 'epoch']);
    expect(present(lines[1], 'a second line').step).toBe(2);
    expect(written.join('')).toMatch(/^epoch 1\/2 2\/2 · loss \d\.\d{4}/);
    expect(written.every((t) => !t.includes('\r'))).toBe(true);
    model.dispose();
  });

  it('shows nothing under CI=true unless asked', async () => {
    const model = new TinyRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, perStep: false });
    const data = inMemoryDataset(signExamples(4, 1), { batchSize: 4, yDtype: 'int32' });
    const written: string[] = [];
    const saved = process.env['CI'];
    process.env['CI'] = 'true';
    try {
      await fit(model, data, { progressStream: { write: (t: string) => written.push(t), isTTY: true } });
      expect(written).toEqual([]);
      await fit(model, data, { progress: 'bar', progressStream: { write: (t: string) => written.push(t), isTTY: true } });
      expect(written.join('')).toContain('█');
    } finally {
      if (saved === undefined) delete process.env['CI'];
      else process.env['CI'] = saved;
    }
    model.dispose();
  });
});

export type { Batch };
