import { readFileSync } from 'node:fs';
import { GatedError } from '@gated/tensor';
import { UsageError } from './errors.js';

/** The exit codes of the `gated` command line (documented in the README and `gated --help`). */
export const EXIT_CODES = {
  /** Everything ran. */
  ok: 0,
  /** The input could not be used or a run failed: a bad file, a missing or unwritable path, a checkpoint problem. */
  input: 1,
  /** The command line itself is wrong: an unknown command or flag, a missing or malformed value. */
  usage: 2,
  /** An unexpected error: a bug in gated (BSD's EX_SOFTWARE). */
  bug: 70,
} as const;

const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory, expected a file',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
};

/** A Node.js system error from the file system (or another syscall), recognised by its `code` and `syscall`. */
function systemError(error: unknown): (Error & { code: string; syscall?: string; path?: string; dest?: string }) | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as Error & { code?: unknown; syscall?: unknown };
  return typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) && typeof e.syscall === 'string' ? (e as Error & { code: string }) : undefined;
}

function issuesUrl(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { bugs?: { url?: string } };
    if (pkg.bugs?.url) return pkg.bugs.url;
  } catch {
    // Fall through to the generic wording.
  }
  return "the project's issue tracker";
}

/**
 * Turns any error the CLI meets into one line for stderr and an exit code ({@link EXIT_CODES}): a usage error, an
 * input error (gated's typed errors and file-system errors, naming the path), or — for anything else — an internal
 * error that says it is a bug and where to report it. The stack trace is added only with `debug`.
 */
export function describeCliError(error: unknown, debug: boolean): { readonly exitCode: number; readonly text: string } {
  const stack = debug && error instanceof Error && error.stack !== undefined ? `${error.stack}\n` : '';
  if (error instanceof UsageError) return { exitCode: EXIT_CODES.usage, text: `gated: ${error.message}\nRun gated --help for usage.\n${stack}` };
  if (error instanceof GatedError) return { exitCode: EXIT_CODES.input, text: `gated: ${error.message} [${error.code}]\n${stack}` };
  const sys = systemError(error);
  if (sys !== undefined) {
    const where = sys.path ?? '';
    const reason = FS_REASONS[sys.code] ?? sys.message.replace(/^[A-Z]+: /, '').replace(/, [a-z]+ '.*'$/, '');
    return { exitCode: EXIT_CODES.input, text: `gated: ${where ? `${where}: ` : ''}${reason} (${sys.code}${sys.syscall ? ` from ${sys.syscall}` : ''})\n${stack}` };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const hint = debug ? '' : ' (run again with --debug or GATED_DEBUG=1 for the stack trace)';
  return {
    exitCode: EXIT_CODES.bug,
    text: `gated: internal error: ${message.split('\n')[0]}\nThis is a bug in gated, please report it at ${issuesUrl()}${hint}.\n${stack}`,
  };
}

/**
 * Ends the process quietly (exit code 0) when whoever reads `stream` goes away (EPIPE, as in `gated … | head -1`):
 * there is nobody left to tell. Other stream errors are rethrown.
 */
export function endQuietlyOnBrokenPipe(stream: NodeJS.EventEmitter, exit: (code: number) => void = (code) => process.exit(code)): void {
  stream.on('error', (error: unknown) => {
    if ((error as { code?: unknown }).code === 'EPIPE') exit(EXIT_CODES.ok);
    else throw error;
  });
}
