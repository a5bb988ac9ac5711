// The command line of a benchmark script: its arguments and `--name value` options with a fallback.
export const benchArgs = process.argv.slice(2);

/** The value after `--name` on the command line, or `fallback` when it is absent. */
export function benchOption(name, fallback) {
  const i = benchArgs.indexOf(`--${name}`);
  return i >= 0 ? benchArgs[i + 1] : fallback;
}
