import { appendFileSync, dirname, mkdirSync } from '../platform/node.js';
import type { RunContext } from './run-context.js';

/** Appends one JSON line (a step or an epoch) to the `logFile` option, if there is one. */
export function appendLog<S>(run: RunContext<S>, record: Readonly<Record<string, unknown>>): void {
  const { logFile } = run.options;
  if (logFile === undefined) return;
  mkdirSync(dirname(logFile), { recursive: true });
  appendFileSync(logFile, `${JSON.stringify(record)}\n`);
}
