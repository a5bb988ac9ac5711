import * as tf from '@tensorflow/tfjs-core';
import { GatedError } from './errors.js';
import { checkOptions } from './options.js';
import { processMemory } from './platform/node.js';

/** What {@link profile} measured around one call. */
export interface ProfileResult<T> {
  readonly result: T;
  /** Wall-clock time of the call, in milliseconds. */
  readonly wallMs: number;
  /** Highest tensor memory in use during the call, all tensors counted (tfjs's profiler), in bytes. */
  readonly peakBytes: number;
  /** How far the call took tensor memory above what was in use before it, in bytes. */
  readonly peakNewBytes: number;
  /** Tensors and bytes still alive after the call that were not before it. */
  readonly newTensors: number;
  readonly newBytes: number;
  /** Process resident set size after the call, and the process's peak so far, in bytes. */
  readonly rssBytes: number;
  readonly maxRssBytes: number;
}

/**
 * Runs `fn` once under tfjs's profiler and reports time, tensor memory and process memory. The profiler adds
 * a little per-kernel overhead: measure speed in a separate, unprofiled run.
 *
 * @example
 * const { wallMs, peakBytes } = await profile(() => model.trainStep(batch));
 */
export async function profile<T>(fn: () => T | Promise<T>): Promise<ProfileResult<T>> {
  let result!: T;
  const startBytes = tf.memory().numBytes;
  const start = performance.now();
  const info = await tf.profile(async () => {
    result = await fn();
    return [];
  });
  const wallMs = performance.now() - start;
  // tfjs takes its peak from kernel snapshots only; a call that allocates without kernels still counts.
  const peakBytes = Math.max(startBytes, startBytes + info.newBytes, ...info.kernels.map((k) => k.totalBytesSnapshot));
  const memory = processMemory();
  return {
    result,
    wallMs,
    peakBytes,
    peakNewBytes: peakBytes - startBytes,
    newTensors: info.newTensors,
    newBytes: info.newBytes,
    rssBytes: memory.rss,
    maxRssBytes: memory.maxRss,
  };
}

/** Tensors were left allocated by code that should have released them. */
export class TensorLeakError extends GatedError<{ label: string; before: number; after: number; repeats: number }> {
  constructor(label: string, before: number, after: number, repeats: number) {
    super(
      'GATED_TENSOR_LEAK',
      `${label}: expected tf.memory().numTensors to stay at ${before} over ${repeats} calls, got ${after} (${after - before} leaked)`,
      { label, before, after, repeats },
    );
  }
}

/**
 * Calls `fn` `warmup` times (optimizer slots and caches may allocate once), then `repeats` times, and throws a
 * {@link TensorLeakError} if the live tensor count changed across the repeats.
 */
export async function assertNoLeak(
  fn: () => unknown,
  options: { readonly repeats?: number; readonly warmup?: number; readonly label?: string } = {},
): Promise<void> {
  checkOptions('assertNoLeak', options, { repeats: 'integer', warmup: 'integer', label: 'string' });
  const { repeats = 10, warmup = 1, label = 'assertNoLeak' } = options;
  for (let i = 0; i < warmup; i++) await fn();
  const before = tf.memory().numTensors;
  for (let i = 0; i < repeats; i++) await fn();
  const after = tf.memory().numTensors;
  if (after !== before) throw new TensorLeakError(label, before, after, repeats);
}
