import { describe, expect, it } from 'vitest';
import { COMMANDS, helpText, parseBackend, parseCommandLine, parseCount, parseModels, parseProgress, parseTasks } from './cli-args.js';
import { compareOptionsFrom } from './commands/compare.js';
import { UsageError } from './errors.js';

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('command line', () => {
  it('--help lists every command and every flag', () => {
    const text = helpText();
    for (const [name, spec] of Object.entries(COMMANDS)) {
      expect(text).toContain(`gated ${name}`);
      for (const flag of Object.keys(spec.options)) expect(text).toContain(`--${flag}`);
    }
    expect(text).toContain('memory-adding');
    expect(parseCommandLine(['--help'])).toMatchObject({ command: 'help' });
    expect(parseCommandLine(['compare', '--help'])).toMatchObject({ command: 'help', helpFor: 'compare' });
  });

  it('an unknown command lists the valid ones', () => {
    const e = usageError(() => parseCommandLine(['comapre']));
    expect(e.code).toBe('GATED_USAGE');
    expect(e.message).toContain('"comapre"');
    expect(e.details.valid).toEqual(['compare', 'merge', 'train', 'export', 'features', 'transcribe', 'bench', 'g2p']);
  });

  it('an unknown flag lists the flags of that command', () => {
    const e = usageError(() => parseCommandLine(['compare', '--seed', '3']));
    expect(e.message).toContain('--seed');
    expect(e.details.valid).toContain('--seeds');
    expect(e.details.valid).toContain('--shard');
  });

  it('a flag without its value is an error naming the flag', () => {
    expect(usageError(() => parseCommandLine(['compare', '--tasks'])).message).toContain('--tasks');
  });

  it('unknown tasks and models list the valid ones; lists come back in report order', () => {
    const task = usageError(() => parseTasks('text-lm,speech'));
    expect(task.message).toContain('"speech"');
    expect(task.details.valid).toEqual([
      'text-lm', 'text-classify', 'text-g2p', 'text-g2p-plain', 'speech-digits', 'speech-ctc', 'timeseries-co2', 'memory-adding',
      'memory-adding-t50', 'memory-adding-t100', 'memory-adding-t200', 'memory-adding-t400',
    ]);
    expect(parseTasks(undefined)).not.toContain('memory-adding');
    expect(usageError(() => parseModels('lstm,transformer')).details.valid).toEqual(['lstm', 'gru', 'rnn']);
    expect(parseTasks('memory-adding,text-lm')).toEqual(['text-lm', 'memory-adding']);
    expect(parseModels(undefined)).toEqual(['lstm', 'gru', 'rnn']);
  });

  it('validates numbers, backends and shards', () => {
    expect(parseCount('--seeds', '5', 3, 1)).toBe(5);
    expect(usageError(() => parseCount('--seeds', '0', 3, 1)).message).toContain('[1,');
    expect(usageError(() => parseCount('--seeds', '2.5', 3, 1)).message).toContain('"2.5"');
    expect(usageError(() => parseBackend('webgl')).details.valid).toEqual(['auto', 'wasm', 'cpu', 'tensorflow']);
    expect(usageError(() => compareOptionsFrom({ shard: '3/2' })).message).toContain('k/n');
  });

  it('--quick means one seed unless --seeds says otherwise; the default is three', () => {
    expect(compareOptionsFrom({ quick: true }).seeds).toBe(1);
    expect(compareOptionsFrom({}).seeds).toBe(3);
    expect(compareOptionsFrom({ quick: true, seeds: '2' }).seeds).toBe(2);
  });

  it('merge needs directories, features exactly one file', () => {
    expect(usageError(() => parseCommandLine(['merge'])).message).toContain('run directories');
    expect(usageError(() => parseCommandLine(['features', 'a.wav', 'b.wav'])).message).toContain('exactly one');
    expect(parseCommandLine(['merge', 'a', 'b', '--out', 'c'])).toMatchObject({ positionals: ['a', 'b'], values: { out: 'c' } });
  });
});

describe('--progress', () => {
  it("takes @gated/trainer's modes, --quiet means none, and a former spelling names its replacement", () => {
    expect(parseProgress(undefined, false)).toBe('auto');
    expect(parseProgress(undefined, true)).toBe('none');
    for (const mode of ['auto', 'bar', 'lines', 'none']) expect(parseProgress(mode, false)).toBe(mode);
    expect(parseProgress('none', true)).toBe('none');
    const live = usageError(() => parseProgress('live', false));
    expect(live.code).toBe('GATED_USAGE');
    expect(live.message).toBe('--progress: expected a progress mode (live is now bar) (valid: auto, bar, lines, none), got "live"');
    expect(usageError(() => parseProgress('quiet', false)).message).toContain('quiet is now none');
    expect(usageError(() => parseProgress('fancy', false)).details.valid).toEqual(['auto', 'bar', 'lines', 'none']);
    expect(usageError(() => parseProgress('lines', true)).message).toContain('--quiet');
    expect(compareOptionsFrom({ progress: 'lines' }).progress).toBe('lines');
  });
});
