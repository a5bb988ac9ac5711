import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@gated/tensor';
import { ResultsFormatError, RunExistsError } from './errors.js';
import { SCHEMA_VERSION, type ResultsFile } from './results.js';

/** The name of the results file inside a run directory. */
export const RESULTS_FILE = 'results.json';

/** `results/2026-11-25T14-48-14Z` (plus `-2`, `-3`, … if that directory is taken). */
export function defaultRunDir(base = 'results', prefix = '', now = new Date()): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  let dir = join(base, `${prefix}${stamp}`);
  for (let i = 2; existsSync(dir); i++) dir = join(base, `${prefix}${stamp}-${i}`);
  return dir;
}

/** Creates a run directory; refuses one that exists and is not empty, so no run is ever overwritten. */
export function createRunDir(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new RunExistsError(dir, 'a file');
    const entries = readdirSync(dir);
    if (entries.length > 0) throw new RunExistsError(dir, `${entries.length} entries (${entries.slice(0, 3).join(', ')})`);
  }
  mkdirSync(dir, { recursive: true });
}

/** Writes results.json atomically (temp + rename): a reader never sees a half-written file. */
export async function writeResults(dir: string, results: ResultsFile): Promise<void> {
  await writeFileAtomic(join(dir, RESULTS_FILE), `${JSON.stringify(results, null, 1)}\n`);
}

function need(file: string, value: unknown, field: string, expected: string, ok: boolean): void {
  if (!ok) throw new ResultsFormatError(file, field, expected, value === undefined ? 'nothing' : JSON.stringify(value).slice(0, 80));
}

/** Reads and checks a results.json (or the one inside a run directory). */
export function readResults(path: string): ResultsFile {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, RESULTS_FILE) : path;
  if (!existsSync(file)) throw new ResultsFormatError(file, '(file)', 'a results.json written by gated compare', 'no such file');
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ResultsFormatError(file, '(file)', 'JSON', error instanceof Error ? error.message : String(error));
  }
  const r = data as Record<string, unknown>;
  need(file, r['schemaVersion'], 'schemaVersion', String(SCHEMA_VERSION), r['schemaVersion'] === SCHEMA_VERSION);
  need(file, r['machine'], 'machine', 'an object', typeof r['machine'] === 'object' && r['machine'] !== null);
  need(file, r['config'], 'config', 'an object', typeof r['config'] === 'object' && r['config'] !== null);
  for (const key of ['runs', 'verdicts', 'gradientFlow', 'failures']) {
    need(file, r[key], key, 'an array', Array.isArray(r[key]));
  }
  (r['runs'] as unknown[]).forEach((run, i) => {
    const e = run as Record<string, unknown>;
    for (const key of ['task', 'model', 'sizing']) need(file, e[key], `runs[${i}].${key}`, 'a string', typeof e[key] === 'string');
    need(file, e['seeds'], `runs[${i}].seeds`, 'an array', Array.isArray(e['seeds']));
    need(file, e['metric'], `runs[${i}].metric`, 'an object', typeof e['metric'] === 'object' && e['metric'] !== null);
  });
  return data as ResultsFile;
}
