import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import { type NamedTensor, SafetensorsError, readSafetensors, writeSafetensors } from './safetensors.js';
import { readSafetensorsFile, writeSafetensorsFile } from './safetensors-file.js';
import { fromTfTensors, toTfTensors } from './safetensors-tf.js';

const fixtures = new URL('../__fixtures__/', import.meta.url);

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** Builds a raw safetensors buffer from a header object and a data section, for malformed-input tests. */
function raw(header: unknown, data = new Uint8Array(0), lengthOverride?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(lengthOverride ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function errorOf(fn: () => unknown): SafetensorsError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SafetensorsError);
    return error as SafetensorsError;
  }
  throw new Error('expected a SafetensorsError');
}

describe('safetensors', () => {
  it('reads a file written from PyTorch, every dtype, with metadata', async () => {
    const { tensors, metadata } = await readSafetensorsFile(new URL('torch.safetensors', fixtures).pathname);
    const expected = JSON.parse(await readFile(new URL('torch-safetensors.json', fixtures), 'utf8')) as {
      metadata: Record<string, string>;
      tensors: Record<string, { dtype: string; shape: number[]; values: (number | string)[] }>;
    };
    expect(metadata).toEqual(expected.metadata);
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(expected.tensors).sort());
    for (const [name, want] of Object.entries(expected.tensors)) {
      const got = tensors[name]!;
      expect(got.dtype, name).toBe(want.dtype);
      expect(got.shape, name).toEqual(want.shape);
      const values = [...got.data].map((v) => (typeof v === 'bigint' ? v.toString() : Number(v)));
      expect(values, name).toEqual(want.values);
    }
  });

  it('round-trips every dtype exactly, including F16/BF16 rounding, NaN and ±Inf', () => {
    const tensors: Record<string, NamedTensor> = {
      a_f64: { dtype: 'F64', shape: [2], data: Float64Array.of(Math.PI, -1e300) },
      b_f32: { dtype: 'F32', shape: [2, 2], data: Float32Array.of(1.5, -2, Number.NaN, Number.POSITIVE_INFINITY) },
      c_f16: { dtype: 'F16', shape: [5], data: Float32Array.of(1, -0.5, 65504, 2 ** -14, 2 ** -24) },
      d_bf16: { dtype: 'BF16', shape: [3], data: Float32Array.of(1, -3.140625, Number.NEGATIVE_INFINITY) },
      e_i64: { dtype: 'I64', shape: [2], data: BigInt64Array.of(-(2n ** 62n), 7n) },
      f_i32: { dtype: 'I32', shape: [1], data: Int32Array.of(-5) },
      g_u8: { dtype: 'U8', shape: [2], data: Uint8Array.of(0, 255) },
      h_bool: { dtype: 'BOOL', shape: [3], data: Uint8Array.of(1, 0, 1) },
      i_empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
    };
    const bytes = writeSafetensors(tensors, { note: 'hello' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const back = readSafetensors(bytes);
    expect(back.metadata).toEqual({ note: 'hello' });
    for (const [name, t] of Object.entries(tensors)) {
      expect(back.tensors[name]!.dtype).toBe(t.dtype);
      expect(back.tensors[name]!.shape).toEqual(t.shape);
      expect([...back.tensors[name]!.data]).toEqual([...t.data]);
    }
  });

  it('rounds float32 to F16 and BF16 to nearest even', () => {
    const bytes = writeSafetensors({
      h: { dtype: 'F16', shape: [3], data: Float32Array.of(1 + 2 ** -11, 1 + 3 * 2 ** -11, 1e6) },
      b: { dtype: 'BF16', shape: [1], data: Float32Array.of(1 + 2 ** -8) },
    });
    const { tensors } = readSafetensors(bytes);
    expect([...tensors['h']!.data]).toEqual([1, 1 + 2 * 2 ** -10, Number.POSITIVE_INFINITY]);
    expect([...tensors['b']!.data]).toEqual([1]);
  });

  it('rejects a header longer than the file', () => {
    const error = errorOf(() => readSafetensors(raw({}, new Uint8Array(0), 1000)));
    expect(error.code).toBe('GATED_SAFETENSORS_HEADER');
    expect(error.message).toMatch(/header length beyond the file: expected ≤ 2 bytes, got 1000 bytes/);
    expect(errorOf(() => readSafetensors(new Uint8Array(3))).message).toMatch(/too short/);
  });

  it('rejects a header that is not JSON', () => {
    const bytes = raw({});
    bytes.set(new TextEncoder().encode('{x'), 8);
    expect(errorOf(() => readSafetensors(bytes)).message).toMatch(/not valid UTF-8 JSON/);
  });

  it('rejects offsets out of range, naming the tensor', () => {
    const error = errorOf(() => readSafetensors(raw({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(4))));
    expect(error.code).toBe('GATED_SAFETENSORS_OFFSETS');
    expect(error.details.tensor).toBe('w');
    expect(error.message).toBe('tensor "w": data_offsets out of range: expected 0 ≤ begin ≤ end ≤ 4, got [0, 8]');
  });

  it('rejects overlapping tensors, naming both', () => {
    const header = {
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
    };
    const error = errorOf(() => readSafetensors(raw(header, new Uint8Array(12))));
    expect(error.code).toBe('GATED_SAFETENSORS_OFFSETS');
    expect(error.message).toMatch(/tensor "b": data_offsets overlap tensor "a"/);
  });

  it('rejects an unknown dtype, naming the tensor', () => {
    const error = errorOf(() => readSafetensors(raw({ q: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1))));
    expect(error.code).toBe('GATED_SAFETENSORS_DTYPE');
    expect(error.message).toMatch(/tensor "q": unknown dtype: expected F64\|F32.*got "F8_E4M3"/);
  });

  it('rejects a shape × dtype size that differs from the byte length', () => {
    const error = errorOf(() => readSafetensors(raw({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8))));
    expect(error.code).toBe('GATED_SAFETENSORS_SIZE');
    expect(error.message).toBe('tensor "w": shape × dtype size does not match the byte length: expected 12 bytes for F32[3], got 8 bytes');
  });

  it('refuses to write data whose length or array type does not match', () => {
    expect(() => writeSafetensors({ w: { dtype: 'F32', shape: [3], data: new Float32Array(2) } })).toThrow(/tensor "w".*expected 3 elements/);
    expect(() => writeSafetensors({ w: { dtype: 'I32', shape: [1], data: new Float32Array(1) } })).toThrow(/Int32Array for I32/);
  });

  it('writes files atomically and names the file in read errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gated-st-'));
    const path = join(dir, 'nested', 'w.safetensors');
    await writeSafetensorsFile(path, { w: { dtype: 'F32', shape: [1], data: Float32Array.of(2) } });
    expect((await readSafetensorsFile(path)).tensors['w']!.data[0]).toBe(2);
    expect(await readdir(join(dir, 'nested'))).toEqual(['w.safetensors']);
    const bad = join(dir, 'bad.safetensors');
    await writeFile(bad, raw({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)));
    await expect(readSafetensorsFile(bad)).rejects.toThrow(`${bad}: tensor "w": shape × dtype size does not match`);
  });

  it('converts to and from tf tensors', async () => {
    const before = tf.memory().numTensors;
    const named = await fromTfTensors({ w: tf.tensor2d([[1, 2]]), ids: tf.tensor1d([3, 4], 'int32') });
    const back = toTfTensors(readSafetensors(writeSafetensors(named)).tensors);
    expect(back['w']!.dtype).toBe('float32');
    expect(back['w']!.arraySync()).toEqual([[1, 2]]);
    expect(back['ids']!.dtype).toBe('int32');
    tf.dispose(Object.values(back));
    expect(tf.memory().numTensors).toBe(before + 2); // only the two inputs created above remain
  });
});
