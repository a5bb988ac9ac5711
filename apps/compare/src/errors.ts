import { GatedError } from '@gated/tensor';

/** A command line that cannot be run: an unknown command, flag or value, or a malformed one. */
export class UsageError extends GatedError<{ argument: string; expected: string; actual: string; valid: readonly string[] }> {
  constructor(argument: string, expected: string, actual: string, valid: readonly string[] = []) {
    const list = valid.length > 0 ? ` (valid: ${valid.join(', ')})` : '';
    super('GATED_USAGE', `${argument}: expected ${expected}${list}, got ${actual}`, { argument, expected, actual, valid });
  }
}

/** A task needs a package (or a part of one) that is not available, so it cannot produce numbers. */
export class TaskUnavailableError extends GatedError<{ task: string; requires: string; missing: string }> {
  constructor(task: string, requires: string, missing: string, cause?: unknown) {
    super(
      'GATED_TASK_UNAVAILABLE',
      `task "${task}" needs ${requires}, which does not provide ${missing} yet`,
      { task, requires, missing },
      { cause },
    );
  }
}

/** The output directory of a run already holds a run; runs are never overwritten. */
export class RunExistsError extends GatedError<{ dir: string; found: string }> {
  constructor(dir: string, found: string) {
    super('GATED_RUN_EXISTS', `${dir}: expected a new or empty directory, found ${found} (runs are never overwritten)`, { dir, found });
  }
}

/** A results.json that does not follow the schema (wrong version, missing field, duplicate entry). */
export class ResultsFormatError extends GatedError<{ file: string; field: string; expected: string; actual: string }> {
  constructor(file: string, field: string, expected: string, actual: string) {
    super('GATED_RESULTS_FORMAT', `${file}: ${field}: expected ${expected}, got ${actual}`, { file, field, expected, actual });
  }
}

/** An output path (`--out`, `--checkpoint-dir`) that cannot be written; found before any work starts. */
export class OutputPathError extends GatedError<{ flag: string; path: string; expected: string; actual: string }> {
  constructor(flag: string, path: string, expected: string, actual: string, cause?: unknown) {
    super('GATED_OUTPUT_PATH', `${flag} ${path}: expected ${expected}, got ${actual}`, { flag, path, expected, actual }, { cause });
  }
}
