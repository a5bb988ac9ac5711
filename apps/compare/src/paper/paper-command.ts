import { UsageError } from '../errors.js';
import { parseBackend, parseCount, parseModels } from '../cli-args.js';
import { defaultRunDir } from '../run-dir.js';
import { resolveShard } from '../shard-env.js';
import { PAPER_DEFAULT_TASKS, PAPER_TASK_IDS, type PaperTaskId } from './paper-task.js';
import { PAPER_TASKS } from './registry.js';
import { publishedTable } from './paper-report.js';
import { type PaperSuiteOptions, runPaperSuite } from './run-paper.js';

/** Suites of `gated compare --suite`. */
export const SUITES = ['default', 'paper'] as const;

/** Parses `--suite` (default `default`). */
export function parseSuite(text: string | undefined): (typeof SUITES)[number] {
  if (text === undefined) return 'default';
  if (!(SUITES as readonly string[]).includes(text)) throw new UsageError('--suite', 'a suite', JSON.stringify(text), SUITES);
  return text as (typeof SUITES)[number];
}

/** Parses `--tasks` of the paper suite (default {@link PAPER_DEFAULT_TASKS}) into report order. */
export function parsePaperTasks(text: string | undefined): PaperTaskId[] {
  if (text === undefined) return [...PAPER_DEFAULT_TASKS];
  const items = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new UsageError('--tasks', 'a comma-separated list', JSON.stringify(text), PAPER_TASK_IDS);
  for (const item of items) {
    if (!(PAPER_TASK_IDS as readonly string[]).includes(item)) throw new UsageError('--tasks', 'tasks of the paper suite', JSON.stringify(item), PAPER_TASK_IDS);
  }
  return PAPER_TASK_IDS.filter((t) => items.includes(t));
}

/**
 * The resolved options of `gated compare --suite paper`; the shard comes from `--shard k/n` or, in a Kubernetes
 * Indexed Job, from `JOB_COMPLETION_INDEX` (as for the default suite).
 */
export function paperOptionsFrom(
  values: Readonly<Record<string, string | boolean | undefined>>,
  env: NodeJS.ProcessEnv = process.env,
): Omit<PaperSuiteOptions, 'registry'> {
  const quick = values['quick'] === true;
  return {
    tasks: parsePaperTasks(values['tasks'] as string | undefined),
    models: parseModels(values['models'] as string | undefined),
    seeds: parseCount('--seeds', values['seeds'] as string | undefined, quick ? 1 : 5, 1, 100),
    quick,
    out: (values['out'] as string | undefined) ?? defaultRunDir('results', 'paper-'),
    backend: parseBackend(values['backend'] as string | undefined),
    shard: resolveShard({ shard: values['shard'] as string | undefined, shards: values['shards'] as string | undefined }, env),
    ...(values['quiet'] === true ? { log: () => {} } : {}),
  };
}

/** `gated compare --suite paper`: runs the paper suite and prints the Published results table. Exit 1 on failures. */
export async function paperCommand(values: Readonly<Record<string, string | boolean | undefined>>, print: (text: string) => void): Promise<number> {
  const options = paperOptionsFrom(values);
  const { dir, results } = await runPaperSuite({ ...options, registry: PAPER_TASKS });
  print(`${publishedTable(results.entries)}\n\nWrote ${dir}/results.json and report.md (CPU ${(results.cpuSeconds / 60).toFixed(1)} min).\n`);
  return results.failures.length > 0 ? 1 : 0;
}
