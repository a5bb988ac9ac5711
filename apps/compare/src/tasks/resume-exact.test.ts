import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SequenceModel } from '@gated/cells';
import { type Batch, type Dataset, initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { fit } from '@gated/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskId } from '../grid.js';
import { modelOptions } from '../measure-seed.js';
import type { Budget } from '../results.js';
import { TASKS } from './registry.js';
import { type PreparedTask, type RecurrentTask, recurrentTask } from './task.js';

const dirs: string[] = [];
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// Large batches, so an epoch is a few steps and every split point is cheap to reach.
const SMALL: Record<TaskId, Partial<Budget>> = {
  'text-lm': { batchSize: 512, seqLen: 8 },
  'text-classify': { batchSize: 512, seqLen: 8 },
  'text-g2p': { batchSize: 8192 },
  'text-g2p-plain': { batchSize: 8192 },
  'speech-digits': { batchSize: 256 },
  'speech-ctc': { batchSize: 256 },
  'timeseries-co2': { batchSize: 64, seqLen: 24 },
  'memory-adding': { batchSize: 2000, seqLen: 5 },
  'memory-adding-t50': { batchSize: 2000, seqLen: 5 },
  'memory-adding-t100': { batchSize: 2000, seqLen: 5 },
  'memory-adding-t200': { batchSize: 2000, seqLen: 5 },
  'memory-adding-t400': { batchSize: 2000, seqLen: 5 },
};

const prepareSmall = (id: TaskId): Promise<PreparedTask> => {
  const definition = TASKS[id];
  return definition.prepare({ ...definition.budgets.quick, ...SMALL[id], hiddenSize: 4, steps: 1 });
};

/** The first `count` batches of the stream's next epoch, as plain numbers. */
async function take(stream: Dataset<Batch>, count: number): Promise<number[][]> {
  const out: number[][] = [];
  for await (const b of stream) {
    out.push([...b.x.dataSync(), ...b.y.dataSync(), ...(b.lengths?.dataSync() ?? [])]);
    tf.dispose([b.x, b.y, b.lengths ?? []]);
    if (out.length >= count) break;
  }
  return out;
}

async function train(task: RecurrentTask, seed: number, steps: number, checkpointDir?: string): Promise<Record<string, number[]>> {
  const model = new SequenceModel(modelOptions('lstm', task, 4, seed));
  try {
    await fit(model, task.trainData(seed), {
      steps,
      loss: task.loss,
      learningRate: 0.01,
      clipNorm: 1,
      seed,
      progress: 'none',
      ...(checkpointDir === undefined ? {} : { checkpointDir, resume: 'if-exists' as const }),
    });
    return Object.fromEntries(Object.entries(model.parameters()).map(([name, v]) => [name, Array.from(v.dataSync())]));
  } finally {
    model.dispose();
  }
}

describe('every task pipeline can be resumed exactly', () => {
  it.each(Object.keys(TASKS) as TaskId[])('%s: epoch e of the training stream is the same whatever epochs were iterated before, and setEpoch reaches it', async (id) => {
    const task = await prepareSmall(id);
    try {
      const straight = task.trainData(7);
      expect(await take(straight, 1)).toHaveLength(1); // epoch 0, left after one batch as fit leaves it at its last step
      const epoch1 = await take(straight, 2);
      const epoch2 = await take(straight, 2);
      expect(epoch2).not.toEqual(epoch1);
      // A fresh process resuming at epoch 2: fit sets the epoch, then iterates.
      const resumed = task.trainData(7);
      resumed.setEpoch(2);
      expect(await take(resumed, 2)).toEqual(epoch2);
    } finally {
      task.dispose();
    }
  });

  // End to end through fit (these two train fast; the others differ only in the pipeline checked above).
  it.each(['timeseries-co2', 'memory-adding'] as const)('%s: stopping inside epoch 0, at the epoch boundary and inside epoch 1, then resuming, gives the straight weights', async (id) => {
    const task = recurrentTask(await prepareSmall(id), id);
    try {
      const epoch = task.trainData(0).size;
      const total = 2 * epoch + 1;
      const seed = 5;
      const straight = await train(task, seed, total);
      for (const stop of [1, epoch, epoch + 1, 2 * epoch]) {
        const dir = mkdtempSync(join(tmpdir(), `gated-resume-${id}-`));
        dirs.push(dir);
        await train(task, seed, stop, dir);
        expect(await train(task, seed, total, dir), `stop at ${stop} of ${total} (epoch of ${epoch})`).toEqual(straight);
      }
    } finally {
      task.dispose();
    }
  });
});
