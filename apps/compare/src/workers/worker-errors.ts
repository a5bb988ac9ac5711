import { GatedError } from '@gated/tensor';

/** A worker process died (crashed, ran out of memory, was killed) while training a job. */
export class WorkerExitedError extends GatedError<{ worker: number; pid: number; exitCode: number | null; signal: string | null; job: string }> {
  constructor(worker: number, pid: number, exitCode: number | null, signal: string | null, job: string) {
    const how = signal !== null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    super('GATED_WORKER_EXITED', `worker ${worker} (pid ${pid}) ${how} while training ${job}; expected it to report a result`, {
      worker,
      pid,
      exitCode,
      signal,
      job,
    });
  }
}

/** A worker process could not start (its runtime module or backend failed to load). */
export class WorkerStartError extends GatedError<{ runtime: string; cause: string }> {
  constructor(runtime: string, cause: string) {
    super('GATED_WORKER_START', `a worker could not load ${runtime}: ${cause}`, { runtime, cause });
  }
}

/** A job failed inside a worker; carries the code and message the worker reported. */
export class WorkerJobError extends GatedError<{ job: string }> {
  constructor(code: string, message: string, job: string) {
    super(code, message, { job });
  }
}
