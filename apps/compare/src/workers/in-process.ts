import { type ExecutorEvents, type SeedJob, SeedJobRunner, type TrainingExecutor, type TrainingRuntime } from './seed-job.js';

/** Trains jobs one at a time in this process (`--workers 1`). */
export function inProcessExecutor(runtime: TrainingRuntime, events: ExecutorEvents = {}): TrainingExecutor {
  const runner = new SeedJobRunner(runtime);
  let chain: Promise<unknown> = Promise.resolve();
  return {
    size: 1,
    run(job: SeedJob) {
      const next = chain.then(() => {
        events.onStart?.(job, { index: 0, pid: process.pid });
        return runner.run(job, (n) => events.onSteps?.(job, n));
      });
      chain = next.catch(() => undefined);
      return next;
    },
    async close() {
      await chain;
      runner.dispose();
    },
  };
}
