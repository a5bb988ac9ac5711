import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, describeCliError, endQuietlyOnBrokenPipe } from './cli-errors.js';
import { main } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'gated-cli-errors-'));
const aFile = join(dir, 'a-file.txt');
writeFileSync(aFile, 'not a folder');

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (t) => void out.push(t), { printError: (t) => void err.push(t), env });
  return { code, out: out.join(''), err: err.join('') };
}

const oneLine = (text: string) => text.trimEnd().split('\n');

describe('gated maps every error to a one-line message and a documented exit code', () => {
  it('export --out naming a directory is an input error found before any work, with no stack trace', async () => {
    const { code, err } = await run(['export', '--task', 'memory-adding', '--model', 'gru', '--steps', '100000', '--backend', 'cpu', '--out', dir]);
    expect(code).toBe(EXIT_CODES.input);
    expect(oneLine(err)).toEqual([`gated: --out ${dir}: expected a file path, got a directory [GATED_OUTPUT_PATH]`]);
  });

  it('features of a missing file names the file', async () => {
    const missing = join(dir, 'missing.wav');
    const { code, err } = await run(['features', missing]);
    expect(code).toBe(EXIT_CODES.input);
    expect(oneLine(err)).toEqual([`gated: ${missing}: no such file or directory (ENOENT from open)`]);
  });

  it('features --out below a file (an unwritable path) fails before reading the input', async () => {
    const { code, err } = await run(['features', join(dir, 'missing.wav'), '--out', join(aFile, 'feats.json')]);
    expect(code).toBe(EXIT_CODES.input);
    expect(err).toMatch(/^gated: --out .*a-file.txt: expected a folder that can be created, got (EEXIST|ENOTDIR)/);
    expect(oneLine(err)).toHaveLength(1);
  });

  it('a checkpoint directory that cannot be written is found before training starts', async () => {
    const started = performance.now();
    // 10^6 steps would take hours: the error must come first.
    const { code, err, out } = await run(['train', '--task', 'memory-adding', '--model', 'gru', '--quick', '--steps', '1000000', '--backend', 'cpu', '--checkpoint-dir', join(aFile, 'ckpt')]);
    expect(code).toBe(EXIT_CODES.input);
    expect(err).toMatch(/^gated: --checkpoint-dir .*a-file.txt\/ckpt: expected a folder that can be created/);
    expect(out).toBe('');
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('--resume --steps below the checkpoint step is an error; equal to it warns that nothing was trained', async () => {
    const ckpt = join(dir, 'ckpt');
    const base = ['train', '--task', 'memory-adding', '--model', 'gru', '--quick', '--backend', 'cpu', '--json', '--checkpoint-dir', ckpt];
    expect((await run([...base, '--steps', '3'])).code).toBe(0);
    const below = await run([...base, '--steps', '2', '--resume']);
    expect(below.code).toBe(EXIT_CODES.input);
    expect(oneLine(below.err)).toEqual([expect.stringMatching(/^gated: steps: expected at least 3, the step of the checkpoint in .*ckpt .*, got 2 \[GATED_BAD_ARGUMENT\]$/)]);
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((t: string) => stderr.push(String(t)) > 0) as typeof process.stderr.write;
    try {
      const same = await run([...base, '--steps', '3', '--resume']);
      expect(same.code).toBe(0);
    } finally {
      process.stderr.write = write;
    }
    expect(stderr.join('')).toMatch(/warning: the checkpoint in .* is already at step 3 \(--steps 3\): nothing was trained/);
  });

  it('an unexpected error says it is a bug and where to report it; the stack only with --debug or GATED_DEBUG', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'shape')");
    const plain = describeCliError(bug, false);
    expect(plain.exitCode).toBe(EXIT_CODES.bug);
    expect(plain.text).toMatch(/^gated: internal error: TypeError: Cannot read properties of undefined \(reading 'shape'\)\nThis is a bug in gated, please report it at \S+/);
    expect(plain.text).not.toContain('    at ');
    expect(describeCliError(bug, true).text).toContain('    at ');
  });

  it('--debug is accepted anywhere and GATED_DEBUG=1 too, adding the stack trace to the one line', async () => {
    const missing = join(dir, 'missing.wav');
    expect((await run(['features', missing, '--debug'])).err).toContain('    at ');
    expect((await run(['features', missing], { GATED_DEBUG: '1' })).err).toContain('    at ');
    expect((await run(['features', missing], { GATED_DEBUG: '0' })).err).not.toContain('    at ');
  });

  it('a closed output pipe (EPIPE) ends the process quietly with exit code 0; other stream errors still throw', () => {
    const stream = new EventEmitter();
    const exits: number[] = [];
    endQuietlyOnBrokenPipe(stream, (code) => void exits.push(code));
    stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(exits).toEqual([0]);
    expect(() => stream.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }))).toThrow('EIO');
  });
});
