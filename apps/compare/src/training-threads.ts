import { nativeAvailable, nativeInfo, setNativeThreads } from '@gated/cells';

/**
 * Native kernel threads of every training run of the grid, in the main process and in each worker alike. Grid
 * entries are the unit of parallelism (`--workers`), so one thread each keeps the cores from being oversubscribed
 * (two workers × two kernel threads on two cores), and a fixed count keeps the metrics identical for any number of
 * workers: the native kernels are bit-for-bit repeatable for a fixed thread count, within rounding across counts.
 * The speed phase, which runs alone, keeps the default (every core) and records it.
 */
export const TRAINING_KERNEL_THREADS = 1;

/** Sets the native kernels (when they load) to {@link TRAINING_KERNEL_THREADS}; returns the count before (null without them). */
export function useTrainingThreads(): number | null {
  if (!nativeAvailable()) return null;
  const { threads } = nativeInfo();
  setNativeThreads(TRAINING_KERNEL_THREADS);
  return threads;
}
