import { OptionsError } from '@gated/tensor';
import { describe, expect, it } from 'vitest';
import { checkProgressMode, createProgress, defaultProgressMode, isCI } from './progress.js';
import { present } from './test-utils/present.js';

// Carriage return + erase line: the bar redraws in place.
const CLEAR = '\r\u001b[2K';

const sink = (isTTY: boolean) => {
  const written: string[] = [];
  return { written, stream: { write: (t: string) => written.push(t), isTTY } };
};

describe('progress', () => {
  it('on a TTY redraws one bar in place with the loss and an ETA', () => {
    const { written, stream } = sink(true);
    let now = 0;
    const p = createProgress({ mode: 'auto', stream, now: () => now, env: {} });
    p.startEpoch(0, 3, 10);
    now = 2000;
    p.update(4, { loss: 0.5 });
    expect(written.at(-1)).toBe(`${CLEAR}epoch 1/3 ${'█'.repeat(10)}${'░'.repeat(14)} 4/10 · loss 0.5000 · ETA 0:03`);
    p.endEpoch({ loss: 0.25, val_loss: 0.3 });
    expect(present(written.at(-1), 'a line').startsWith(`${CLEAR}epoch 1/3 ${'█'.repeat(10)}${'░'.repeat(14)} 4/10 · loss 0.2500`)).toBe(true);
    expect(written.at(-1)).toMatch(/val_loss 0\.3000 · 0:02\n$/);
    p.stop();
  });

  it('elsewhere writes a plain line at most every lineIntervalSeconds, and one per epoch', () => {
    const { written, stream } = sink(false);
    let now = 0;
    const p = createProgress({ mode: 'auto', stream, now: () => now, lineIntervalSeconds: 5, env: {} });
    p.startEpoch(1, Number.POSITIVE_INFINITY, undefined);
    for (let b = 1; b <= 30; b++) {
      now = b * 1000;
      p.update(b, { loss: 1 / b });
    }
    p.endEpoch({ loss: 0.1 });
    expect(written.every((t) => t.endsWith('\n') && !t.includes('\r'))).toBe(true);
    expect(written.length).toBeGreaterThanOrEqual(5);
    expect(written.length).toBeLessThanOrEqual(7);
    expect(written.at(-1)).toMatch(/^epoch 2 30 · loss 0\.1000/);
  });

  it('stays silent under CI=true unless a mode is asked for', () => {
    for (const isTTY of [true, false]) {
      const quiet = sink(isTTY);
      const p = createProgress({ mode: 'auto', stream: quiet.stream, env: { CI: 'true' } });
      p.startEpoch(0, 1, 2);
      p.update(1, { loss: 1 });
      p.endEpoch({ loss: 1 });
      expect(quiet.written).toEqual([]);
    }
    const asked = sink(false);
    const p = createProgress({ mode: 'lines', stream: asked.stream, env: { CI: 'true' } });
    p.startEpoch(0, 1, 2);
    p.endEpoch({ loss: 1 });
    expect(asked.written.length).toBe(1);
  });

  it('counts any non-empty CI other than false or 0 as CI', () => {
    for (const CI of ['true', '1', 'yes', 'woodpecker']) expect(isCI({ CI })).toBe(true);
    for (const CI of [undefined, '', 'false', '0']) expect(isCI({ CI })).toBe(false);
  });

  it('auto means none under CI, a bar on an interactive terminal, lines otherwise', () => {
    expect(defaultProgressMode({ isTTY: true }, {})).toBe('bar');
    expect(defaultProgressMode({ isTTY: true }, { TERM: 'dumb' })).toBe('lines');
    expect(defaultProgressMode({ isTTY: false }, {})).toBe('lines');
    expect(defaultProgressMode({}, {})).toBe('lines');
    for (const isTTY of [true, false]) expect(defaultProgressMode({ isTTY }, { CI: '1' })).toBe('none');
    expect(defaultProgressMode({ isTTY: true }, { CI: 'false' })).toBe('bar');
  });

  it('refuses the former spellings live and quiet with an OptionsError naming the valid modes and the replacement', () => {
    for (const [old, replacement] of [['live', 'bar'], ['quiet', 'none']] as const) {
      let error: unknown;
      try {
        createProgress({ mode: old as never, stream: sink(false).stream, env: {} });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(OptionsError);
      expect((error as OptionsError).code).toBe('GATED_BAD_OPTION_VALUE');
      expect((error as Error).message).toBe(`createProgress: option "mode" must be 'auto' | 'bar' | 'lines' | 'none', got '${old}'. Did you mean '${replacement}'?`);
    }
    expect(() => checkProgressMode('fit', 'fancy')).toThrow(/option "progress" must be 'auto' \| 'bar' \| 'lines' \| 'none', got 'fancy'/);
    expect(() => checkProgressMode('fit', undefined)).toThrow(OptionsError);
    expect(checkProgressMode('fit', 'lines')).toBe('lines');
  });
});
