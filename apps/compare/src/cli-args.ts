import { parseArgs } from 'node:util';
import { PROGRESS_MODES, type ProgressMode } from '@gated/trainer';
import { UsageError } from './errors.js';
import { DEFAULT_TASKS, MODEL_KINDS, TASK_IDS, type Shard, type TaskId, parseShard } from './grid.js';
import type { ModelKind } from './sizing.js';

/** Backends `--backend` accepts (`auto` picks tfjs-node, then wasm, then cpu). */
export const BACKENDS = ['auto', 'wasm', 'cpu', 'tensorflow'] as const;
/** A `--backend` value. */
export type BackendChoice = (typeof BACKENDS)[number];
/** Feature types of `gated features`. */
export const FEATURE_TYPES = ['mfcc', 'fbank'] as const;

interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly value?: string;
  readonly help: string;
  readonly short?: string;
}
interface CommandSpec {
  readonly usage: string;
  readonly help: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly positionals: 'none' | 'one' | 'many' | 'any';
}

const BACKEND_OPTION: OptionSpec = { type: 'string', value: 'NAME', help: `tfjs backend: ${BACKENDS.join('|')} (default auto)` };
const JSON_OPTION: OptionSpec = { type: 'boolean', help: 'print machine-readable JSON instead of text' };

/** Every command with its flags: the single source of `--help`, parsing and "valid values" in errors. */
export const COMMANDS = {
  compare: {
    usage: 'gated compare [--suite default|paper] [--tasks a,b] [--models lstm,gru,rnn] [--seeds N] [--quick] [--out DIR] [--backend NAME] [--workers N] [--shard k/n | --shards N] [--progress MODE | --quiet]',
    help: 'Train and measure every task × model × sizing, then write results.json, report.md and report.html.',
    positionals: 'none',
    options: {
      suite: { type: 'string', value: 'NAME', help: 'default, or paper: reproduce published tables (music-jsb, memory-adding, memory-copy; text-g2p, text-g2p-plain when named in --tasks; 5 seeds)' },
      tasks: { type: 'string', value: 'LIST', help: `comma-separated tasks of ${TASK_IDS.join(',')} (default ${DEFAULT_TASKS.join(',')})` },
      models: { type: 'string', value: 'LIST', help: `comma-separated models (default all: ${MODEL_KINDS.join(',')})` },
      seeds: { type: 'string', value: 'N', help: 'seeds per model (default 3; 1 with --quick)' },
      quick: { type: 'boolean', help: 'tiny budgets and one seed: the whole grid in under 3 minutes' },
      out: { type: 'string', value: 'DIR', help: 'output directory, must be new or empty (default results/<timestamp>)' },
      backend: BACKEND_OPTION,
      workers: { type: 'string', value: 'N', help: 'worker processes training grid entries in parallel (default: the number of cores)' },
      shard: { type: 'string', value: 'k/n', help: 'run only shard k of n of the grid (merge the shards with gated merge)' },
      shards: { type: 'string', value: 'N', help: 'shard count in a Kubernetes Indexed Job (shard = JOB_COMPLETION_INDEX + 1; default JOB_COMPLETIONS)' },
      progress: {
        type: 'string',
        value: 'MODE',
        help: `${PROGRESS_MODES.join('|')} (default auto: nothing under CI, a live line on a terminal, milestone lines otherwise)`,
      },
      quiet: { type: 'boolean', help: 'no progress output (--progress none)' },
    },
  },
  merge: {
    usage: 'gated merge DIR… [--out DIR]',
    help: 'Merge the results.json of several runs (e.g. shards) into one run with one report, deterministically.',
    positionals: 'many',
    options: { out: { type: 'string', value: 'DIR', help: 'output directory (default results/merged-<timestamp>)' } },
  },
  train: {
    usage: 'gated train --task ID --model M [--seed S] [--steps N] [--keep last|best] [--checkpoint-dir D] [--resume] [--json]',
    help: "Train one model on one task with the task's default set-up and print the metric.",
    positionals: 'none',
    options: {
      task: { type: 'string', value: 'ID', help: `one of ${TASK_IDS.join(', ')}` },
      model: { type: 'string', value: 'M', help: `one of ${MODEL_KINDS.join(', ')}` },
      seed: { type: 'string', value: 'S', help: 'seed (default 0)' },
      steps: { type: 'string', value: 'N', help: "optimizer steps (default the task's budget)" },
      keep: { type: 'string', value: 'W', help: "end with the last step's weights, or the best validation checkpoint's (default: what the comparison does for the task, best for timeseries-co2)" },
      quick: { type: 'boolean', help: "use the task's --quick budget" },
      'checkpoint-dir': { type: 'string', value: 'D', help: 'write checkpoints here' },
      resume: { type: 'boolean', help: 'continue from the latest checkpoint in --checkpoint-dir' },
      backend: BACKEND_OPTION,
      json: JSON_OPTION,
    },
  },
  export: {
    usage: 'gated export --task ID --model M --out model.onnx [--seed S] [--steps N] [--keep last|best]',
    help: "Build (and optionally train) a task's model and export it to ONNX.",
    positionals: 'none',
    options: {
      task: { type: 'string', value: 'ID', help: `one of ${TASK_IDS.join(', ')}` },
      model: { type: 'string', value: 'M', help: `one of ${MODEL_KINDS.join(', ')}` },
      out: { type: 'string', value: 'FILE', help: 'the .onnx file to write' },
      seed: { type: 'string', value: 'S', help: 'seed of the initial weights (default 0)' },
      steps: { type: 'string', value: 'N', help: 'train this many steps before exporting (default 0)' },
      keep: { type: 'string', value: 'W', help: "end with the last step's weights, or the best validation checkpoint's (default: what the comparison does for the task, best for timeseries-co2)" },
      backend: BACKEND_OPTION,
    },
  },
  features: {
    usage: 'gated features in.wav [--type mfcc|fbank] [--out feats.json]',
    help: 'Compute Kaldi-compatible MFCC or log-mel filterbank features of a WAV file.',
    positionals: 'one',
    options: {
      type: { type: 'string', value: 'KIND', help: `${FEATURE_TYPES.join('|')} (default mfcc)` },
      out: { type: 'string', value: 'FILE', help: 'write JSON here instead of printing a summary' },
    },
  },
  transcribe: {
    usage: 'gated transcribe MODEL.onnx CLIP.wav… [--beam N] [--json]  |  gated transcribe --train MODEL.onnx [--model M] [--steps N] [--seed S] [--hidden H] [--clip-out FILE]',
    help: 'Recognise the digits spoken in WAV clips with a CTC acoustic model in ONNX (onnxruntime-node, decoded in JS); --train trains one on the connected-digit corpus and exports it.',
    positionals: 'many',
    options: {
      beam: { type: 'string', value: 'N', help: 'prefix beam search width (default 8; 1 = greedy)' },
      train: { type: 'boolean', help: 'train the speech-ctc acoustic model and write it to MODEL.onnx' },
      model: { type: 'string', value: 'M', help: `with --train: ${MODEL_KINDS.join(', ')} (default lstm)` },
      steps: { type: 'string', value: 'N', help: "with --train: CTC steps (default the speech-ctc task's budget)" },
      seed: { type: 'string', value: 'S', help: 'with --train: seed (default 0)' },
      hidden: { type: 'string', value: 'H', help: "with --train: hidden size per direction (default the task's)" },
      'clip-out': { type: 'string', value: 'FILE', help: 'with --train: also write a held-out test clip (an unheard voice) as WAV' },
      backend: BACKEND_OPTION,
      json: JSON_OPTION,
    },
  },
  bench: {
    usage: 'gated bench [--backend NAME] [--json]',
    help: 'Time a training step and batch-1 inference of LSTM, GRU and RNN layers at a few sizes.',
    positionals: 'none',
    options: { backend: BACKEND_OPTION, quick: { type: 'boolean', help: 'fewer sizes and repeats' }, json: JSON_OPTION },
  },
  g2p: {
    usage:
      'gated g2p --model model.onnx WORD… | gated g2p --train --out model.onnx [--kind lstm|gru] [--attention general|additive|dot|none] | gated g2p --compare [--budget quick|default|paper] [--seeds N] [--out DIR] [--workers N] [--shard k/n]',
    help: 'Grapheme-to-phoneme on CMUdict: print pronunciations with an exported model, train and export one, or run the text-g2p comparison.',
    positionals: 'any',
    options: {
      model: { type: 'string', value: 'FILE', help: 'encoder .onnx written by --train (its decoder step is FILE with .step.onnx)' },
      'max-length': { type: 'string', value: 'N', help: 'most phonemes per word (default: letters + 10); longer outputs are cut and marked' },
      train: { type: 'boolean', help: 'train one model on the CMUdict training split and export it to --out' },
      compare: { type: 'boolean', help: 'gated compare --tasks text-g2p,text-g2p-plain --models lstm,gru: LSTM vs GRU, with and without attention (PER/WER, mean ± std over seeds)' },
      out: { type: 'string', value: 'PATH', help: '--train: the .onnx file to write; --compare: the run directory (results.json, report.md, report.html)' },
      kind: { type: 'string', value: 'K', help: 'lstm|gru (default lstm)' },
      attention: { type: 'string', value: 'A', help: 'general|additive|dot|none (default general)' },
      budget: { type: 'string', value: 'B', help: 'quick|default|paper (default default); with --compare: --quick, the default grid budget, or the paper suite' },
      steps: { type: 'string', value: 'N', help: "optimizer steps (default the budget's)" },
      seed: { type: 'string', value: 'S', help: 'seed (default 0)' },
      seeds: { type: 'string', value: 'N', help: '--compare: seeds per model (default as gated compare)' },
      workers: { type: 'string', value: 'N', help: '--compare: worker processes (as gated compare)' },
      shard: { type: 'string', value: 'k/n', help: '--compare: run only shard k of n (as gated compare)' },
      quiet: { type: 'boolean', help: '--compare: no progress output' },
      backend: BACKEND_OPTION,
      json: JSON_OPTION,
    },
  },
} as const satisfies Record<string, CommandSpec>;

/** A command name. */
export type CommandName = keyof typeof COMMANDS;
const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

/** The parsed command line: the command, its flag values (strings/booleans) and positionals. */
export interface ParsedArgs {
  readonly command: CommandName | 'help';
  readonly helpFor?: CommandName;
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

function flagList(spec: CommandSpec): string[] {
  return [...Object.keys(spec.options).map((o) => `--${o}`), '--help'];
}

/**
 * Parses `argv` (without node and the script). Unknown commands, flags and missing values raise a
 * {@link UsageError} that lists the valid ones.
 */
export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !(topic in COMMANDS)) throw new UsageError('command', 'a command', JSON.stringify(topic), COMMAND_NAMES);
    return topic === undefined ? { command: 'help', values: {}, positionals: [] } : { command: 'help', helpFor: topic as CommandName, values: {}, positionals: [] };
  }
  if (!(first in COMMANDS)) throw new UsageError('command', 'a command', JSON.stringify(first), COMMAND_NAMES);
  const command = first as CommandName;
  const spec: CommandSpec = COMMANDS[command];
  const options = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type }]));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...rest], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const flag = /'(-[^']*)'/.exec(message)?.[1] ?? rest.find((a) => a.startsWith('-')) ?? '?';
    const unknown = /Unknown option/.test(message);
    throw new UsageError(
      `gated ${command}`,
      unknown ? 'a known flag' : `a value for ${flag}`,
      unknown ? flag : message,
      flagList(spec),
    );
  }
  if (parsed.values['help'] === true) return { command: 'help', helpFor: command, values: {}, positionals: [] };
  const positionals = parsed.positionals;
  if (spec.positionals === 'none' && positionals.length > 0) {
    throw new UsageError(`gated ${command}`, 'no positional arguments', positionals.join(' '), flagList(spec));
  }
  if (spec.positionals === 'one' && positionals.length !== 1) {
    throw new UsageError(`gated ${command}`, 'exactly one input file', positionals.length === 0 ? 'none' : positionals.join(' '));
  }
  if (spec.positionals === 'many' && positionals.length === 0) {
    throw new UsageError(`gated ${command}`, 'one or more run directories', 'none');
  }
  return { command, values: parsed.values as Record<string, string | boolean | undefined>, positionals };
}

/** Full help: every command with its flags, or one command's. */
export function helpText(command?: CommandName): string {
  const names = command ? [command] : COMMAND_NAMES;
  const lines: string[] = command ? [] : ['gated — LSTM vs GRU vs RNN, measured.', '', 'Commands:'];
  for (const name of names) {
    const spec: CommandSpec = COMMANDS[name];
    lines.push('', `  ${spec.usage}`, `      ${spec.help}`);
    for (const [flag, o] of Object.entries(spec.options)) {
      const left = `--${flag}${o.value ? ` ${o.value}` : ''}`;
      lines.push(`      ${left.padEnd(22)} ${o.help}`);
    }
  }
  if (!command) {
    lines.push(
      '',
      `Tasks:  ${TASK_IDS.join(', ')}`,
      `Models: ${MODEL_KINDS.join(', ')}`,
      '',
      'Exit codes: 0 success, 1 input error or failed run, 2 usage error, 70 internal error (a bug).',
      'Errors are one line; --debug (any command) or GATED_DEBUG=1 adds the stack trace.',
      '',
      'gated help COMMAND (or gated COMMAND --help) shows one command.',
    );
  }
  return `${lines.join('\n')}\n`;
}

function listOf<T extends string>(flag: string, text: string, valid: readonly T[]): T[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new UsageError(flag, 'a comma-separated list', JSON.stringify(text), valid);
  for (const item of items) {
    if (!(valid as readonly string[]).includes(item)) throw new UsageError(flag, 'known names', JSON.stringify(item), valid);
  }
  return [...new Set(items)].sort((a, b) => valid.indexOf(a as T) - valid.indexOf(b as T)) as T[];
}

/** Parses `--tasks a,b` (default: the default suite, {@link DEFAULT_TASKS}) into report order. */
export function parseTasks(text: string | undefined): TaskId[] {
  return text === undefined ? [...DEFAULT_TASKS] : listOf('--tasks', text, TASK_IDS);
}

/** Parses `--models lstm,gru` (default all). */
export function parseModels(text: string | undefined): ModelKind[] {
  return text === undefined ? [...MODEL_KINDS] : listOf('--models', text, MODEL_KINDS);
}

/** Parses one task id (`--task`). */
export function parseTask(text: string | undefined): TaskId {
  if (text === undefined) throw new UsageError('--task', 'a task id', 'nothing', TASK_IDS);
  const [task] = listOf('--task', text, TASK_IDS);
  if (task === undefined) throw new UsageError('--task', 'a task id', JSON.stringify(text), TASK_IDS);
  return task;
}

/** Parses one model kind (`--model`). */
export function parseModel(text: string | undefined): ModelKind {
  if (text === undefined) throw new UsageError('--model', 'a model', 'nothing', MODEL_KINDS);
  const [model, ...more] = listOf('--model', text, MODEL_KINDS);
  if (model === undefined || more.length > 0) throw new UsageError('--model', 'one model', JSON.stringify(text), MODEL_KINDS);
  return model;
}

/** Parses a non-negative integer flag (`--seeds`, `--steps`, `--seed`), with bounds. */
export function parseCount(flag: string, text: string | undefined, fallback: number, min = 0, max = 1_000_000_000): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(flag, `an integer in [${min}, ${max}]`, JSON.stringify(text));
  }
  return n;
}

/** Parses `--backend`. */
export function parseBackend(text: string | undefined): BackendChoice {
  if (text === undefined) return 'auto';
  if (!(BACKENDS as readonly string[]).includes(text)) throw new UsageError('--backend', 'a tfjs backend', JSON.stringify(text), BACKENDS);
  return text as BackendChoice;
}

/** What the progress modes were called before the trainer and the app shared one vocabulary. */
const FORMER_PROGRESS_MODES: Readonly<Record<string, ProgressMode>> = { live: 'bar', quiet: 'none' };

/**
 * Parses `--progress MODE` (@gated/trainer's `PROGRESS_MODES`, default `auto`) together with `--quiet`, which
 * means `none`. A former spelling (`live`, `quiet`) is a {@link UsageError} naming the mode that replaced it.
 */
export function parseProgress(text: string | undefined, quiet: boolean): ProgressMode {
  if (text === undefined) return quiet ? 'none' : 'auto';
  const mode = PROGRESS_MODES.find((m) => m === text);
  if (mode === undefined) {
    const renamed = Object.hasOwn(FORMER_PROGRESS_MODES, text) ? FORMER_PROGRESS_MODES[text] : undefined;
    throw new UsageError('--progress', renamed === undefined ? 'a progress mode' : `a progress mode (${text} is now ${renamed})`, JSON.stringify(text), PROGRESS_MODES);
  }
  if (quiet && mode !== 'none') throw new UsageError('--quiet', 'no --progress other than none', `--progress ${mode}`);
  return mode;
}

/** Parses `--shard k/n` (absent = the whole grid). */
export function parseShardFlag(text: string | undefined): Shard | null {
  return text === undefined ? null : parseShard(text);
}

/** Parses `--type` of `gated features`. */
export function parseFeatureType(text: string | undefined): (typeof FEATURE_TYPES)[number] {
  if (text === undefined) return 'mfcc';
  if (!(FEATURE_TYPES as readonly string[]).includes(text)) throw new UsageError('--type', 'a feature type', JSON.stringify(text), FEATURE_TYPES);
  return text as (typeof FEATURE_TYPES)[number];
}
