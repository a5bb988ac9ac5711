import type { BackendChoice } from '../cli-args.js';
import type { SeedRunOutcome } from '../run-compare.js';
import type { SeedJob } from './seed-job.js';

/** Parent → worker: load the runtime module and the backend, then train jobs one at a time. */
export type ParentMessage =
  | { readonly type: 'init'; readonly runtime: string; readonly backend: BackendChoice }
  | { readonly type: 'run'; readonly job: SeedJob };

/** Worker → parent. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'init-failed'; readonly code: string; readonly message: string }
  | { readonly type: 'steps'; readonly id: number; readonly steps: number }
  | { readonly type: 'done'; readonly id: number; readonly outcome: SeedRunOutcome }
  | { readonly type: 'failed'; readonly id: number; readonly code: string; readonly message: string };
