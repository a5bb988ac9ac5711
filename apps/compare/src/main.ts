import { GatedError } from '@gated/tensor';
import { type CommandName, helpText, parseCommandLine } from './cli-args.js';
import { UsageError } from './errors.js';

type Values = Readonly<Record<string, string | boolean | undefined>>;

/**
 * Runs the `gated` command line (`argv` without node and script) and returns the exit code: 0 success, 1 a
 * failed run or a gated error, 2 a usage error. Output goes through `print` (stdout by default); errors to stderr.
 */
export async function main(argv: readonly string[], print: (text: string) => void = (t) => void process.stdout.write(t)): Promise<number> {
  try {
    const parsed = parseCommandLine(argv);
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
      case 'features':
        return await (await import('./commands/features.js')).featuresCommand(parsed.positionals[0]!, values, print);
      case 'transcribe':
        return await (await import('./commands/transcribe.js')).transcribeCommand(parsed.positionals, values, print);
      case 'bench':
        return await (await import('./commands/bench.js')).benchCommand(values, print);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`gated: ${error.message}\nRun gated --help for usage.\n`);
      return 2;
    }
    if (error instanceof GatedError) {
      process.stderr.write(`gated: ${error.message} [${error.code}]\n`);
      return 1;
    }
    throw error;
  }
}
