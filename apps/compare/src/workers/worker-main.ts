// Entry of a `gated compare` worker process (forked by worker-pool.ts): trains the seed jobs the parent sends.
import { initBackend } from '@gated/tensor';
import { describeError } from '../describe-error.js';
import { useTrainingThreads } from '../training-threads.js';
import type { ParentMessage, WorkerMessage } from './protocol.js';
import { SeedJobRunner, type TrainingRuntime } from './seed-job.js';

// Once the parent has gone (it was stopped, or closed the pool) there is nobody to report to: a message is dropped
// instead of failing with EPIPE, and the 'disconnect' handler below ends the process.
const send = (message: WorkerMessage): void => {
  if (process.connected) process.send?.(message, undefined, {}, () => {});
};

// Ctrl-C on a terminal reaches the whole process group; the parent decides what stops, and stops us.
process.on('SIGINT', () => {});
// Without a parent there is nobody to report to.
process.on('disconnect', () => process.exit(0));

let runner: SeedJobRunner | null = null;
let queue: Promise<void> = Promise.resolve();

async function handle(message: ParentMessage): Promise<void> {
  if (message.type === 'init') {
    try {
      const runtime = (await import(message.runtime)) as TrainingRuntime;
      await initBackend({ backend: message.backend });
      useTrainingThreads();
      runner = new SeedJobRunner({ registry: runtime.registry, runSeed: runtime.runSeed });
      send({ type: 'ready' });
    } catch (error) {
      send({ type: 'init-failed', ...describeError(error) });
    }
    return;
  }
  const { job } = message;
  try {
    if (runner === null) throw new Error('worker received a job before init');
    const outcome = await runner.run(job, (steps) => send({ type: 'steps', id: job.id, steps }));
    send({ type: 'done', id: job.id, outcome });
  } catch (error) {
    send({ type: 'failed', id: job.id, ...describeError(error) });
  }
}

process.on('message', (message: ParentMessage) => {
  queue = queue.then(() => handle(message));
});
