// Fuzzing helpers shared by every package's *.fuzz.test.ts files (test code only: tools/check-boundaries.mjs lets
// tests, and nothing else, import tools/test-utils/). tools/fuzz/soak.mjs runs the same tests longer through
// FUZZ_RUNS and FUZZ_SEED.
import fc from 'fast-check';
import { expect } from 'vitest';

/** Runs and seed of a property: short and fixed in unit tests, set by tools/fuzz/soak.mjs for long runs. */
export function fuzzParameters(defaultRuns = 200): { numRuns: number; seed: number } {
  return { numRuns: Number(process.env['FUZZ_RUNS'] ?? defaultRuns), seed: Number(process.env['FUZZ_SEED'] ?? 20261130) };
}

type Mutation = readonly [kind: number, at: number, value: number, length: number];

function mutate(valid: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = valid.slice();
  for (const [kind, rawAt, value, rawLength] of mutations) {
    const at = bytes.length === 0 ? 0 : rawAt % bytes.length;
    const length = 1 + (rawLength % 16);
    switch (kind % 6) {
      case 0: // overwrite one byte
        if (bytes.length > 0) bytes[at] = value;
        break;
      case 1: // insert bytes
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...new Array<number>(length).fill(value), ...bytes.subarray(at)]);
        break;
      case 2: // delete a range
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + length)]);
        break;
      case 3: // truncate
        bytes = bytes.slice(0, at);
        break;
      case 4: // write an extreme 32-bit little-endian integer (sizes, counts, offsets)
        for (let i = 0; i < 4 && at + i < bytes.length; i++) bytes[at + i] = [0xff, 0x7f, 0x80, 0x00][value % 4] ?? 0;
        break;
      default: // duplicate a range
        bytes = Uint8Array.from([...bytes.subarray(0, at + length), ...bytes.subarray(at, at + length), ...bytes.subarray(at + length)]);
    }
  }
  return bytes;
}

/** Mutations of a valid file: overwritten bytes, insertions, deletions, truncations, extreme integers, duplicated ranges. */
export function mutationsOf(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  const mutation = fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat());
  return fc.array(mutation, { minLength: 1, maxLength: 6 }).map((ms) => mutate(valid, ms));
}

/** Any bytes, or a mutation of one of the valid examples. */
export function bytesNear(...valid: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(fc.uint8Array({ maxLength: 600 }), ...valid.map(mutationsOf));
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * The fuzz property: `parse(input)` returns, or throws an instance of `expected` (the package's typed error), within
 * `limitMs`. Anything else — a TypeError, RangeError, a plain Error, a hang — fails with the input that caused it.
 */
export async function parsesOrThrowsTyped<T>(
  input: T,
  parse: (input: T) => unknown,
  expected: ErrorClass | readonly ErrorClass[],
  limitMs = 2000,
): Promise<void> {
  const classes = Array.isArray(expected) ? expected : [expected as ErrorClass];
  const started = performance.now();
  try {
    await parse(input);
  } catch (error) {
    if (!classes.some((c) => error instanceof c)) {
      throw new Error(`expected a ${classes.map((c) => c.name).join(' or ')} or a result, got ${String(error)}\n${(error as Error).stack ?? ''}`);
    }
  }
  expect(performance.now() - started).toBeLessThan(limitMs);
}
