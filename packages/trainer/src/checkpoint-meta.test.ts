import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, type Batch, type Dataset, inMemoryDataset, initBackend, readSafetensorsFile, writeSafetensorsFile } from '@gated/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointPath } from './checkpoint.js';
import { CheckpointError } from './errors.js';
import { fit } from './fit.js';
import { signExamples } from './test-utils/data.js';
import { TinyRnn } from './test-utils/tiny-rnn.js';
import { present } from './test-utils/present.js';

const dirs: string[] = [];
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const quiet = { progress: 'none' } as const;
const make = () => new TinyRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, perStep: false, seed: 1 });
// 8 examples in batches of 4: two batches per epoch.
const data = () => inMemoryDataset(signExamples(8, 1), { batchSize: 4, shuffle: true, seed: 3, yDtype: 'int32' });

/** A checkpoint after `steps` steps, then `edit` applied to its metadata and tensors. */
async function checkpointWith(steps: number, edit: (meta: Record<string, unknown>, tensors: Record<string, unknown>) => void = () => {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gated-ckpt-meta-'));
  dirs.push(dir);
  const model = make();
  await fit(model, data(), { ...quiet, steps, checkpointDir: dir });
  model.dispose();
  const file = await readSafetensorsFile(checkpointPath(dir));
  const meta = JSON.parse(present(file.metadata['trainer'], 'trainer metadata')) as Record<string, unknown>;
  const tensors = { ...file.tensors };
  edit(meta, tensors);
  await writeSafetensorsFile(checkpointPath(dir), tensors as typeof file.tensors, { ...file.metadata, trainer: JSON.stringify(meta) });
  return dir;
}

async function resumeError(dir: string, steps = 6, trainData: Dataset<Batch> = data()): Promise<unknown> {
  const model = make();
  try {
    return await fit(model, trainData, { ...quiet, steps, checkpointDir: dir, resume: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
  } finally {
    model.dispose();
  }
}

describe('resuming checks the checkpoint position before using it', () => {
  it.each([
    ['a negative step', (m: Record<string, unknown>) => void (m['step'] = -3), /step a non-negative integer, got -3/],
    ['a fractional epoch', (m: Record<string, unknown>) => void (m['epoch'] = 0.5), /epoch a non-negative integer/],
    ['batchInEpoch past the 2 batches of an epoch', (m: Record<string, unknown>) => void (m['batchInEpoch'] = 5), /batchInEpoch at most the 2 batches/],
    ['step logs that do not match the step', (m: Record<string, unknown>) => void (m['step'] = 2), /steps.loss a list of 2 values \(one per step\), got 3 values/],
    ['a negative optimizer step count', (m: Record<string, unknown>) => void ((m['optimizer'] as Record<string, unknown>)['stepCount'] = -1), /optimizer.stepCount/],
  ])('%s is a CheckpointError, not a silent resume', async (_, edit, message) => {
    const error = await resumeError(await checkpointWith(3, edit));
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).code).toBe('GATED_CHECKPOINT_CORRUPT');
    expect((error as Error).message).toMatch(message);
  });

  it('a missing optimizer slot is a CheckpointError naming it', async () => {
    const dir = await checkpointWith(3, (_, tensors) => void delete tensors['optimizer.rnn.weight_hh.exp_avg_sq']);
    const error = await resumeError(dir);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toMatch(/optimizer slot rnn.weight_hh.exp_avg_sq .*got missing/);
  });

  it('an optimizer slot of the wrong shape is a CheckpointError', async () => {
    const dir = await checkpointWith(3, (_, tensors) => {
      tensors['optimizer.rnn.weight_hh.exp_avg'] = { dtype: 'F32', shape: [2], data: new Float32Array(2) };
    });
    expect(await resumeError(dir)).toMatchObject({ code: 'GATED_CHECKPOINT_CORRUPT' });
  });

  it('an untouched checkpoint resumes', async () => {
    expect(await resumeError(await checkpointWith(3))).toBeUndefined();
  });

  it('steps below the checkpoint step is an error, never a success that trained nothing', async () => {
    const error = await resumeError(await checkpointWith(3), 2);
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toMatch(/steps: expected at least 3, the step of the checkpoint/);
  });

  it('resuming after the first epoch refuses a dataset that cannot be set to that epoch', async () => {
    const inner = data();
    const noSeek: Dataset<Batch> = { size: inner.size, [Symbol.asyncIterator]: () => inner[Symbol.asyncIterator]() };
    const error = await resumeError(await checkpointWith(3), 6, noSeek);
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toMatch(/trainData: expected a dataset with setEpoch\(epoch\) to resume exactly at epoch 1/);
  });
});
