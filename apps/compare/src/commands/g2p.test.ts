import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

const dir = mkdtempSync(join(tmpdir(), 'gated-g2p-'));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const printed: string[] = [];
  const errors: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((t: string) => {
    errors.push(String(t));
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(args, (t) => void printed.push(t));
    return { code, out: printed.join(''), err: errors.join('') };
  } finally {
    process.stderr.write = write;
  }
}

describe('gated g2p', () => {
  const model = join(dir, 'g2p.onnx');

  it('--train writes the encoder and its decoder step, then --model prints one pronunciation per word', { timeout: 300_000 }, async () => {
    const trained = await run(['g2p', '--train', '--budget', 'quick', '--steps', '3', '--kind', 'gru', '--backend', 'wasm', '--json', '--out', model]);
    expect(trained.code).toBe(0);
    const summary = JSON.parse(trained.out.trim().split('\n').at(-1)!) as { per: number; wer: number; decoderStep: string };
    expect(summary.per).toBeGreaterThan(0);
    expect(summary.wer).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'g2p.step.onnx'))).toBe(true);
    const { code, out } = await run(['g2p', '--model', model, '--json', 'Paste', 'knife']);
    expect(code).toBe(0);
    const rows = JSON.parse(out) as { word: string; phonemes: string[]; finished: boolean }[];
    expect(rows.map((r) => r.word)).toEqual(['Paste', 'knife']);
    for (const r of rows) for (const p of r.phonemes) expect(p).toMatch(/^[A-Z]{1,2}$/);
  });

  it('a word that reaches --max-length is printed cut and marked, not dropped', async () => {
    const { code, out } = await run(['g2p', '--model', model, '--max-length', '1', 'pneumonoultramicroscopic']);
    expect(code).toBe(0);
    expect(out).toMatch(/^pneumonoultramicroscopic\t\S*\t\(cut at 1\)\n$/);
  });

  it('a cut word is marked finished: false in --json; --max-length outside 1…1000 is a usage error (exit 2)', async () => {
    const cut = await run(['g2p', '--model', model, '--json', '--max-length', '2', 'pneumonoultramicroscopic']);
    expect(cut.code).toBe(0);
    const [row] = JSON.parse(cut.out) as { phonemes: string[]; finished: boolean }[];
    expect(row!.finished).toBe(false);
    expect(row!.phonemes).toHaveLength(2);
    for (const bad of ['0', '1001', '-3', 'ten']) {
      const r = await run(['g2p', '--model', model, '--max-length', bad, 'word']);
      expect(r.code, bad).toBe(2);
      expect(r.err).toContain('--max-length');
    }
  });

  it('a blank, a space inside a word or a digit is refused with the position of the first bad character', async () => {
    const blank = await run(['g2p', '--model', model, ' ']);
    expect(blank.code).toBe(1);
    expect(blank.err).toMatch(/at position 0, found " ".*GATED_G2P_UNKNOWN_GRAPHEME/);
    const spaced = await run(['g2p', '--model', model, 'ice cream']);
    expect(spaced.err).toMatch(/word "ice cream".*at position 3/);
    const digit = await run(['g2p', '--model', model, 'r2d2']);
    expect(digit.err).toMatch(/at position 1, found "2"/);
    // Nothing is printed for the good words of a batch with a bad one: the whole call is refused.
    const mixed = await run(['g2p', '--model', model, 'good', 'b@d']);
    expect(mixed.code).toBe(1);
    expect(mixed.out).toBe('');
  });

  it('an empty word or a character outside a–z and the apostrophe is a typed error with exit code 1', async () => {
    const empty = await run(['g2p', '--model', model, '']);
    expect(empty.code).toBe(1);
    expect(empty.err).toContain('GATED_G2P_EMPTY_WORD');
    const accent = await run(['g2p', '--model', model, 'naïve']);
    expect(accent.code).toBe(1);
    expect(accent.err).toMatch(/expected one of abcdefghijklmnopqrstuvwxyz' at position 2, found "ï".*GATED_G2P_UNKNOWN_GRAPHEME/);
  });

  it('usage errors: no mode, two modes, words without --model, an unknown attention', async () => {
    expect((await run(['g2p', 'word'])).code).toBe(2);
    expect((await run(['g2p', '--train', '--compare'])).code).toBe(2);
    expect((await run(['g2p', '--compare', 'word'])).code).toBe(2);
    // --compare runs the gated compare grid: the single-model flags have no meaning there.
    const kind = await run(['g2p', '--compare', '--kind', 'gru']);
    expect(kind.code).toBe(2);
    expect(kind.err).toContain('--kind');
    const bad = await run(['g2p', '--train', '--attention', 'luong', '--out', join(dir, 'x.onnx')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('valid: general, additive, dot, none');
  });
});
