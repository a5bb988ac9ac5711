import { type ChildProcess, fork } from 'node:child_process';
import type { BackendChoice } from '../cli-args.js';
import { unitKey } from '../grid.js';
import type { SeedRunOutcome } from '../run-compare.js';
import { workerExecArgv, workersModule } from './module-url.js';
import type { ParentMessage, WorkerMessage } from './protocol.js';
import type { ExecutorEvents, SeedJob, TrainingExecutor } from './seed-job.js';
import { WorkerExitedError, WorkerJobError, WorkerStartError } from './worker-errors.js';

/** Options of {@link workerPool}. */
export interface WorkerPoolOptions {
  /** Worker processes. */
  readonly size: number;
  /** Module each worker imports for `registry` and `runSeed` (default: the real tasks and training phase). */
  readonly runtime?: string;
  readonly backend: BackendChoice;
  readonly events?: ExecutorEvents;
}

interface Pending {
  readonly job: SeedJob;
  readonly resolve: (outcome: SeedRunOutcome) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly index: number;
  child: ChildProcess;
  ready: boolean;
  /** Whether this process ever became ready (one that dies before is a start failure, not a crash). */
  started: boolean;
  busy: Pending | null;
}

const jobName = (job: SeedJob): string => `${unitKey(job.unit)} seed ${job.seed}`;

/**
 * Trains seed jobs in `size` forked worker processes, each with its own tfjs backend and task data. A job goes to
 * the first idle worker; a worker that dies fails its job with {@link WorkerExitedError} and is replaced, so the
 * run goes on. Workers ignore SIGINT (the parent decides) and are killed when the parent exits.
 */
export function workerPool(options: WorkerPoolOptions): TrainingExecutor {
  const runtime = options.runtime ?? workersModule('default-runtime').href;
  const events = options.events ?? {};
  const queue: Pending[] = [];
  const slots: Slot[] = [];
  let closing = false;
  let startError: WorkerStartError | null = null;

  const killAll = (): void => {
    for (const slot of slots) if (slot.child.exitCode === null && slot.child.signalCode === null) slot.child.kill('SIGKILL');
  };
  process.on('exit', killAll);

  const pump = (): void => {
    if (startError !== null) {
      for (const pending of queue.splice(0)) pending.reject(startError);
      return;
    }
    for (const slot of slots) {
      if (!slot.ready || slot.busy !== null) continue;
      const next = queue.shift();
      if (next === undefined) return;
      slot.busy = next;
      events.onStart?.(next.job, { index: slot.index, pid: slot.child.pid ?? -1 });
      slot.child.send({ type: 'run', job: next.job } satisfies ParentMessage);
    }
  };

  const spawn = (index: number): Slot => {
    const child = fork(workersModule('worker-main'), [], {
      execArgv: workerExecArgv(),
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const slot: Slot = { index, child, ready: false, started: false, busy: null };
    child.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'ready':
          slot.ready = true;
          slot.started = true;
          break;
        case 'init-failed':
          startError = new WorkerStartError(runtime, `${message.message} [${message.code}]`);
          break;
        case 'steps':
          if (slot.busy?.job.id === message.id) events.onSteps?.(slot.busy.job, message.steps);
          return;
        case 'done':
        case 'failed': {
          const pending = slot.busy;
          slot.busy = null;
          if (pending === null || pending.job.id !== message.id) break;
          if (message.type === 'done') pending.resolve(message.outcome);
          else pending.reject(new WorkerJobError(message.code, message.message, jobName(pending.job)));
          break;
        }
      }
      pump();
    });
    child.on('exit', (exitCode, signal) => {
      const pending = slot.busy;
      slot.busy = null;
      slot.ready = false;
      if (pending) pending.reject(new WorkerExitedError(index + 1, child.pid ?? -1, exitCode, signal, jobName(pending.job)));
      // Respawning a worker that cannot even start would loop forever: fail the queued jobs instead.
      if (!slot.started && !closing && startError === null) {
        startError = new WorkerStartError(runtime, `the worker process exited (${signal ?? `code ${exitCode}`}) before it was ready`);
      }
      if (!closing && startError === null && slots[index] === slot) {
        slots[index] = spawn(index);
      }
      pump();
    });
    child.send({ type: 'init', runtime, backend: options.backend } satisfies ParentMessage);
    return slot;
  };

  for (let i = 0; i < options.size; i++) slots.push(spawn(i));

  return {
    size: options.size,
    run(job: SeedJob): Promise<SeedRunOutcome> {
      return new Promise((resolve, reject) => {
        queue.push({ job, resolve, reject });
        pump();
      });
    },
    async close(): Promise<void> {
      closing = true;
      const exits = slots.map(
        (slot) =>
          new Promise<void>((resolve) => {
            if (slot.child.exitCode !== null || slot.child.signalCode !== null) resolve();
            else {
              slot.child.once('exit', () => resolve());
              // A worker exits on its own when the channel closes; a busy one is killed.
              if (slot.busy !== null) slot.child.kill('SIGKILL');
              else if (slot.child.connected) slot.child.disconnect();
              else slot.child.kill();
            }
          }),
      );
      for (const pending of queue.splice(0)) pending.reject(new Error('the worker pool was closed'));
      await Promise.all(exits);
      process.removeListener('exit', killAll);
    },
  };
}
