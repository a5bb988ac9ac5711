import { type CommandName, helpText, parseCommandLine } from './cli-args.js';
import { describeCliError } from './cli-errors.js';
import { UsageError } from './errors.js';

type Values = Readonly<Record<string, string | boolean | undefined>>;

/** Options of {@link main}, for embedding and tests. */
export interface MainOptions {
  /** Where error lines go; default process.stderr. */
  readonly printError?: (text: string) => void;
  /** Environment read for GATED_DEBUG; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Runs the `gated` command line (`argv` without node and script) and returns the exit code ({@link EXIT_CODES}):
 * 0 success, 1 an input error or a failed run, 2 a usage error, 70 an internal error (a bug). Output goes through
 * `print` (stdout by default); every error becomes one line on stderr, with the stack trace only under `--debug`
 * (any position) or GATED_DEBUG=1.
 */
export async function main(
  argv: readonly string[],
  print: (text: string) => void = (t) => void process.stdout.write(t),
  options: MainOptions = {},
): Promise<number> {
  const env = options.env ?? process.env;
  const debug = argv.includes('--debug') || (env['GATED_DEBUG'] !== undefined && env['GATED_DEBUG'] !== '' && env['GATED_DEBUG'] !== '0');
  try {
    const parsed = parseCommandLine(argv.filter((a) => a !== '--debug'));
    const values: Values = parsed.values;
    switch (parsed.command as CommandName | 'help') {
      case 'help':
        print(helpText(parsed.helpFor));
        return 0;
      case 'compare':
        return await (await import('./commands/compare.js')).compareCommand(values, print);
      case 'merge':
        return await (await import('./commands/merge.js')).mergeCommand(parsed.positionals, values, print);
      case 'train':
        return await (await import('./commands/train.js')).trainCommand(values, print);
      case 'export':
        return await (await import('./commands/export.js')).exportCommand(values, print);
      case 'features': {
        // The parser has checked there is exactly one.
        const [file] = parsed.positionals;
        if (file === undefined) throw new UsageError('gated features', 'a WAV file', 'none');
        return await (await import('./commands/features.js')).featuresCommand(file, values, print);
      }
      case 'transcribe':
        return await (await import('./commands/transcribe.js')).transcribeCommand(parsed.positionals, values, print);
      case 'g2p':
        return await (await import('./commands/g2p.js')).g2pCommand(parsed.positionals, values, print);
      case 'bench':
        return await (await import('./commands/bench.js')).benchCommand(values, print);
    }
  } catch (error) {
    const { exitCode, text } = describeCliError(error, debug);
    (options.printError ?? ((t) => void process.stderr.write(t)))(text);
    return exitCode;
  }
}
