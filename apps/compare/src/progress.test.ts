import { describe, expect, it } from 'vitest';
import { Progress, progressMode } from './progress.js';

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
    const p = new Progress(100, { mode: 'quiet', now: () => t });
    expect(p.etaMs()).toBeNull();
    t = 10_000;
    p.advance(25, 'text-lm lstm');
    expect(p.etaMs()).toBe(30_000);
    expect(p.status()).toContain(' 25% text-lm lstm');
    expect(p.status()).toContain('ETA 30 s');
  });

  it('is live only on an interactive terminal outside CI', () => {
    expect(progressMode({ isTTY: true }, {})).toBe('live');
    expect(progressMode({ isTTY: true }, { CI: 'true' })).toBe('lines');
    expect(progressMode({ isTTY: false }, {})).toBe('lines');
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
    const p = new Progress(10, { stream, mode: 'quiet' });
    p.advance(5, 'x');
    p.note('hello');
    expect(chunks).toHaveLength(0);
  });
});
