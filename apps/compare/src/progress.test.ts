import { describe, expect, it } from 'vitest';
import { OptionsError } from '@gated/tensor';
import { defaultProgressMode } from '@gated/trainer';
import { Progress } from './progress.js';

function sink() {
  const chunks: string[] = [];
  const write = (s: string): boolean => {
    chunks.push(s);
    return true;
  };
  const stream = { write, isTTY: false, columns: 80 } as unknown as NodeJS.WriteStream;
  return { chunks, stream };
}

describe('progress', () => {
  it('estimates the time left from the rate so far', () => {
    let t = 0;
    const p = new Progress(100, { mode: 'none', now: () => t });
    expect(p.etaMs()).toBeNull();
    t = 10_000;
    p.advance(25, 'text-lm lstm');
    expect(p.etaMs()).toBe(30_000);
    expect(p.status()).toContain(' 25% text-lm lstm');
    expect(p.status()).toContain('ETA 30 s');
  });

  it("is a bar only on an interactive terminal outside CI, and nothing under CI (@gated/trainer's rule, as fit)", () => {
    expect(defaultProgressMode({ isTTY: true }, {})).toBe('bar');
    expect(defaultProgressMode({ isTTY: true }, { CI: 'true' })).toBe('none');
    expect(defaultProgressMode({ isTTY: false }, {})).toBe('lines');
    const { chunks, stream } = sink();
    const saved = process.env['CI'];
    process.env['CI'] = '1';
    try {
      const p = new Progress(10, { stream });
      p.note('hello');
      expect(chunks).toHaveLength(0);
    } finally {
      if (saved === undefined) delete process.env['CI'];
      else process.env['CI'] = saved;
    }
  });

  it("refuses the former modes 'live' and 'quiet' with an OptionsError naming the valid modes", () => {
    expect(() => new Progress(10, { mode: 'quiet' as never })).toThrow(OptionsError);
    expect(() => new Progress(10, { mode: 'live' as never })).toThrow(
      `new Progress: option "mode" must be 'auto' | 'bar' | 'lines' | 'none', got 'live'. Did you mean 'bar'?`,
    );
  });

  it('in logs prints milestones only, never redraws', () => {
    const { chunks, stream } = sink();
    const p = new Progress(10, { stream, mode: 'lines' });
    for (let i = 0; i < 10; i++) p.advance(1, 'x');
    p.note('done: memory-adding lstm');
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatch(/^done: memory-adding lstm \(100%/);
  });

  it('prints nothing when quiet', () => {
    const { chunks, stream } = sink();
    const p = new Progress(10, { stream, mode: 'none' });
    p.advance(5, 'x');
    p.note('hello');
    expect(chunks).toHaveLength(0);
  });
});

describe('progress with workers', () => {
  it('shows one ETA and what each busy worker trains, live on a terminal', () => {
    const { chunks, stream } = sink();
    let t = 0;
    const p = new Progress(100, { stream, mode: 'bar', now: () => t });
    p.setWorker(0, 'text-lm/lstm/equal-hidden H=128 seed 1/3');
    p.setWorker(1, 'text-lm/gru/equal-hidden H=128 seed 1/3');
    t = 10_000;
    p.advance(50, 'training on 2 worker(s)');
    expect(p.lines()).toEqual([p.status(), '  worker 1: text-lm/lstm/equal-hidden H=128 seed 1/3', '  worker 2: text-lm/gru/equal-hidden H=128 seed 1/3']);
    expect(p.status()).toContain('ETA 10 s');
    expect(chunks.at(-1)).toContain('worker 2: text-lm/gru');
    p.setWorker(0, null);
    t = 20_000;
    p.advance(10);
    // The redraw goes back up over the three lines drawn before and leaves two.
    expect(chunks.at(-1)!.startsWith('\u001b[2F\u001b[J[')).toBe(true);
    expect(p.lines()).toHaveLength(2);
  });

  it('prints no worker lines in logs (not a terminal, or CI)', () => {
    const { chunks, stream } = sink();
    const p = new Progress(10, { stream, mode: 'lines' });
    p.setWorker(0, 'x');
    p.advance(5);
    p.note('✓ done');
    expect(chunks).toEqual([expect.stringMatching(/^✓ done \(50%/)]);
  });
});
