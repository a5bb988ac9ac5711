import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@gated/tensor';
import { ResultsFormatError, RunExistsError } from './errors.js';
import type { ResultsFile } from './results.js';
import { checkResultsShape } from './results-schema.js';

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

/** The parsed JSON of a results.json, given the file or the run directory holding it. */
export function readResultsJson(path: string): { readonly file: string; readonly data: unknown } {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, RESULTS_FILE) : path;
  if (!existsSync(file)) throw new ResultsFormatError(file, '(file)', 'a results.json written by gated compare', 'no such file');
  try {
    return { file, data: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (error) {
    throw new ResultsFormatError(file, '(file)', 'JSON', error instanceof Error ? error.message : String(error));
  }
}

/** Reads and checks a results.json (or the one inside a run directory). */
export function readResults(path: string): ResultsFile {
  const { file, data } = readResultsJson(path);
  checkResultsShape(file, data);
  return data as ResultsFile;
}
