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

  it('--train writes the encoder and its decoder step, then --model prints one pronunciation per word', async () => {
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
    const bad = await run(['g2p', '--train', '--attention', 'luong', '--out', join(dir, 'x.onnx')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('valid: general, additive, dot, none');
  });
});
