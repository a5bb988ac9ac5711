import { availableParallelism } from 'node:os';
import { parseBackend, parseCount, parseModels, parseProgress, parseTasks } from '../cli-args.js';
import { duration } from '../format.js';
import { trainSeed } from '../measure-seed.js';
import { measureSeedSpeed } from '../measure-speed.js';
import { paperCommand, parseSuite } from '../paper/paper-command.js';
import { type CompareOptions, runCompare } from '../run-compare.js';
import { defaultRunDir } from '../run-dir.js';
import { resolveShard } from '../shard-env.js';
import { raceSpeed } from '../speed-race.js';
import { summaryTable } from '../summary-table.js';
import { TASKS } from '../tasks/registry.js';

/** The resolved options of `gated compare` (everything but the runners and registry); the shard may come from `env`. */
export function compareOptionsFrom(
  values: Readonly<Record<string, string | boolean | undefined>>,
  env: NodeJS.ProcessEnv = process.env,
): Omit<CompareOptions, 'registry' | 'runSeed' | 'runSpeed' | 'runRace'> & { out: string; workers: number } {
  const quick = values['quick'] === true;
  return {
    tasks: parseTasks(values['tasks'] as string | undefined),
    models: parseModels(values['models'] as string | undefined),
    seeds: parseCount('--seeds', values['seeds'] as string | undefined, quick ? 1 : 3, 1, 100),
    quick,
    out: (values['out'] as string | undefined) ?? defaultRunDir(),
    backend: parseBackend(values['backend'] as string | undefined),
    shard: resolveShard({ shard: values['shard'] as string | undefined, shards: values['shards'] as string | undefined }, env),
    workers: parseCount('--workers', values['workers'] as string | undefined, availableParallelism(), 1, 1024),
    progress: parseProgress(values['progress'] as string | undefined, values['quiet'] === true),
  };
}

/** What `gated compare` trains and measures with: the real tasks and phases (tests inject fakes). */
export type CompareRuntime = Pick<CompareOptions, 'registry' | 'runSeed' | 'runSpeed' | 'runRace' | 'workerRuntime'>;

const REAL_RUNTIME: CompareRuntime = { registry: TASKS, runSeed: trainSeed, runSpeed: measureSeedSpeed, runRace: raceSpeed };

/**
 * `gated compare`: runs the grid, writes the run directory, prints the summary. Exit code 1 if any unit failed;
 * on SIGINT/SIGTERM exits 130 at once (the worker processes are killed with it; results.json keeps every
 * finished entry, since it is only ever replaced atomically).
 */
export async function compareCommand(
  values: Readonly<Record<string, string | boolean | undefined>>,
  print: (text: string) => void,
  runtime: CompareRuntime = REAL_RUNTIME,
): Promise<number> {
  if (parseSuite(values['suite'] as string | undefined) === 'paper') return paperCommand(values, print);
  const options = compareOptionsFrom(values);
  const onSignal = (): void => {
    process.stderr.write(`\ngated compare interrupted; the finished entries are in ${options.out}/results.json\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const started = performance.now();
    const { dir, results } = await runCompare({ ...options, ...runtime });
    print(summaryTable(results));
    print(`Wrote ${dir}/results.json, report.md and report.html in ${duration(performance.now() - started)}.\n`);
    if (results.failures.length > 0) {
      print(`${results.failures.length} unit(s) failed; see the FAILED lines above and report.md.\n`);
      return 1;
    }
    return 0;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
