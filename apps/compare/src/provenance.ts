import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TaskId } from './grid.js';
import type { Budget, MachineInfo, Provenance } from './results.js';
import type { ModelKind } from './sizing.js';

/** What a run was asked to compute, independent of the shard: equal for every shard of one grid. */
export interface RequestedGrid {
  readonly tasks: readonly TaskId[];
  readonly models: readonly ModelKind[];
  readonly seeds: readonly number[];
  readonly quick: boolean;
  readonly backend: string;
  readonly budgets: Readonly<Partial<Record<TaskId, Budget>>>;
}

/** JSON with object keys sorted, so equal values always serialise the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** SHA-256 (hex) of the requested grid; shards of one grid share it. */
export function configHash(grid: RequestedGrid): string {
  return createHash('sha256').update(canonicalJson(grid)).digest('hex');
}

/** The git commit of the checkout this module runs from: GATED_GIT_COMMIT if set (container images), else `git rev-parse`. */
export function gitCommit(env: NodeJS.ProcessEnv = process.env): string | null {
  const fromEnv = env['GATED_GIT_COMMIT']?.trim();
  if (fromEnv) return fromEnv;
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: new URL('.', import.meta.url), stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    return out.toString().trim() || null;
  } catch {
    return null;
  }
}

/** The version of @gated/compare (from its package.json, next to src/ and dist/). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** Provenance of a run of `grid` with this code. */
export function provenanceOf(grid: RequestedGrid, env: NodeJS.ProcessEnv = process.env): Provenance {
  return { version: packageVersion(), commit: gitCommit(env), configHash: configHash(grid) };
}

/** The machine fingerprint: CPU model, cores and Node version — what decides whether speed numbers compare. */
export function machineFingerprint(machine: Pick<MachineInfo, 'cpuModel' | 'cpus' | 'node'>): string {
  return `${machine.cpuModel} × ${machine.cpus} cores, Node ${machine.node}`;
}
