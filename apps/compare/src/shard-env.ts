import { parseCount } from './cli-args.js';
import { UsageError } from './errors.js';
import { type Shard, parseShard } from './grid.js';

/**
 * The shard a `gated compare` process runs: `--shard k/n` if given; otherwise, inside a Kubernetes Indexed Job,
 * shard `JOB_COMPLETION_INDEX + 1` of n, where n is `--shards` or `JOB_COMPLETIONS` (Kubernetes sets only the
 * index; the manifest sets JOB_COMPLETIONS to the Job's completions). Neither: the whole grid (null). Conflicting
 * or out-of-range values are usage errors, so a misconfigured Job fails at once instead of running the wrong part.
 */
export function resolveShard(flags: { readonly shard?: string | undefined; readonly shards?: string | undefined }, env: NodeJS.ProcessEnv = process.env): Shard | null {
  if (flags.shard !== undefined) return parseShard(flags.shard);
  const indexText = env['JOB_COMPLETION_INDEX'];
  if (indexText === undefined || indexText === '') {
    if (flags.shards !== undefined) throw new UsageError('--shards', '--shards only with JOB_COMPLETION_INDEX set (an Indexed Job); use --shard k/n otherwise', `--shards ${flags.shards}`);
    return null;
  }
  const fromFlag = flags.shards === undefined ? undefined : parseCount('--shards', flags.shards, 1, 1, 100_000);
  const fromEnv = env['JOB_COMPLETIONS'] === undefined || env['JOB_COMPLETIONS'] === '' ? undefined : parseCount('JOB_COMPLETIONS', env['JOB_COMPLETIONS'], 1, 1, 100_000);
  if (fromFlag !== undefined && fromEnv !== undefined && fromFlag !== fromEnv) {
    throw new UsageError('--shards', `the same count as JOB_COMPLETIONS=${fromEnv}`, String(fromFlag));
  }
  const count = fromFlag ?? fromEnv;
  if (count === undefined) {
    throw new UsageError('--shards', `the shard count (or JOB_COMPLETIONS in the environment) since JOB_COMPLETION_INDEX=${indexText} is set`, 'neither');
  }
  const index = parseCount('JOB_COMPLETION_INDEX', indexText, 0, 0, count - 1);
  return { index: index + 1, count };
}
