import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, writeSafetensors } from '@gated/tensor';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeContents, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { CheckpointError } from './errors.js';
import { bytesNear, fuzzParameters, parsesOrThrowsTyped } from '../../../tools/test-utils/fuzz.js';

const dir = mkdtempSync(join(tmpdir(), 'gated-ckpt-fuzz-'));
let valid: Uint8Array;
let n = 0;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const path = join(dir, 'valid.safetensors');
  const w = tf.tensor2d([[1, 2], [3, 4]]);
  const m = tf.zeros([2, 2]);
  await saveCheckpoint(path, { model: { w }, optimizer: { 'w.m': m }, state: {}, best: {}, meta: { step: 3, epoch: 0, batchInEpoch: 3 } });
  tf.dispose([w, m]);
  valid = new Uint8Array(readFileSync(path));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = async (path: string) => disposeContents(await loadCheckpoint(path));

describe('loadCheckpoint under fuzzing: contents or a CheckpointError, within 2 s, leaking no tensors', () => {
  it('any bytes and mutations of a valid checkpoint', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(bytesNear(valid), bytesNear(valid)), async (bytes) => {
        const path = join(dir, `c${n++}.safetensors`);
        writeFileSync(path, bytes);
        const before = tf.memory().numTensors;
        await parsesOrThrowsTyped(path, load, CheckpointError);
        expect(tf.memory().numTensors).toBe(before);
      }),
      fuzzParameters(),
    );
  });

  it('well-formed safetensors with arbitrary checkpoint metadata and tensor names', async () => {
    const names = fc.array(fc.oneof(fc.constantFrom('model.w', 'optimizer.w.m', 'state.h', 'best.w', 'w', '.x', 'model.'), fc.string({ maxLength: 8 })), { maxLength: 3 });
    const metadata = fc.record({ format: fc.oneof(fc.constant('gated-trainer-checkpoint'), fc.string()), version: fc.oneof(fc.constant('1'), fc.string()), trainer: fc.oneof(fc.json(), fc.string()) }, { requiredKeys: [] });
    const dtype = fc.constantFrom('F32', 'I64', 'BOOL', 'F16', 'U8');
    const file = fc.tuple(names, metadata, dtype, fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n })).map(([ns, meta, dt, big]) => {
      const tensors = Object.fromEntries(
        ns.map((name) => [
          name,
          dt === 'I64'
            ? { dtype: 'I64' as const, shape: [1], data: BigInt64Array.from([big]) }
            : dt === 'F32' || dt === 'F16'
              ? { dtype: dt, shape: [1], data: Float32Array.from([1]) }
              : { dtype: dt, shape: [1], data: Uint8Array.from([1]) },
        ]),
      );
      return writeSafetensors(tensors, meta);
    });
    await fc.assert(
      fc.asyncProperty(file, async (bytes) => {
        const path = join(dir, `c${n++}.safetensors`);
        writeFileSync(path, bytes);
        const before = tf.memory().numTensors;
        await parsesOrThrowsTyped(path, load, CheckpointError);
        expect(tf.memory().numTensors).toBe(before);
      }),
      fuzzParameters(),
    );
  });
});

describe('loadCheckpoint regressions found by fuzzing', () => {
  it('an I64 tensor beyond int32 is a CheckpointError (was an ArgumentError from the conversion), leaking nothing', async () => {
    const path = join(dir, 'i64.safetensors');
    const tensors = {
      'model.a': { dtype: 'F32' as const, shape: [1], data: Float32Array.from([1]) },
      'model.w': { dtype: 'I64' as const, shape: [1], data: BigInt64Array.from([2n ** 40n]) },
    };
    writeFileSync(path, writeSafetensors(tensors, { format: 'gated-trainer-checkpoint', version: '1', trainer: '{}' }));
    const before = tf.memory().numTensors;
    await expect(loadCheckpoint(path)).rejects.toMatchObject({ code: 'GATED_CHECKPOINT_CORRUPT', message: expect.stringContaining('int32 range') });
    expect(tf.memory().numTensors).toBe(before);
  });
});
