import fc from 'fast-check';
import { describe, it } from 'vitest';
import { type NamedTensor, SafetensorsError, readSafetensors, writeSafetensors } from './safetensors.js';
import { bytesNear, fuzzParameters, parsesOrThrowsTyped } from '../../../../tools/test-utils/fuzz.js';

const valid = writeSafetensors(
  {
    weight: { dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
    half: { dtype: 'F16', shape: [2], data: Float32Array.from([0.5, -2]) },
    ids: { dtype: 'I64', shape: [1], data: BigInt64Array.from([7n]) },
  } satisfies Record<string, NamedTensor>,
  { format: 'pt' },
);

function withHeader(header: unknown, dataLength: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

const int = fc.oneof(fc.integer({ min: -3, max: 40 }), fc.constantFrom(2 ** 31, 2 ** 53, -(2 ** 53), 1.5, Number.MAX_SAFE_INTEGER));
const entry = fc.record(
  {
    dtype: fc.oneof(fc.constantFrom('F64', 'F32', 'F16', 'BF16', 'I64', 'I32', 'I16', 'I8', 'U8', 'BOOL'), fc.string(), fc.integer()),
    shape: fc.oneof(fc.array(int, { maxLength: 4 }), fc.anything()),
    data_offsets: fc.oneof(fc.tuple(int, int), fc.array(int, { maxLength: 3 }), fc.anything()),
  },
  { requiredKeys: [] },
);
const header = fc.dictionary(fc.oneof(fc.string(), fc.constant('__metadata__')), fc.oneof(entry, fc.anything()), { maxKeys: 4 });

describe('readSafetensors under fuzzing: a result or a SafetensorsError, within 2 s', () => {
  it('any bytes and mutations of a valid file', async () => {
    await fc.assert(fc.asyncProperty(bytesNear(valid), (bytes) => parsesOrThrowsTyped(bytes, readSafetensors, SafetensorsError)), fuzzParameters());
  });

  it('well-framed files with arbitrary JSON headers', async () => {
    const framed = fc.tuple(header, fc.integer({ min: 0, max: 64 })).map(([h, n]) => withHeader(h, n));
    await fc.assert(fc.asyncProperty(framed, (bytes) => parsesOrThrowsTyped(bytes, readSafetensors, SafetensorsError)), fuzzParameters());
  });
});
