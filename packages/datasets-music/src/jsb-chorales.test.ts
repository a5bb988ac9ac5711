import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MusicFormatError } from './errors.js';
import { loadJsbChorales, parseMusicCorpus } from './jsb-chorales.js';
import { PIANO_KEYS, decodePianoRoll, encodePianoRoll } from './piano-roll.js';

describe('JSB Chorales loader', () => {
  it('ships the standard split: 229 / 76 / 77 pieces, 13,807 training steps of 25..129 steps, notes 43..96', async () => {
    const jsb = await loadJsbChorales();
    expect([jsb.train.length, jsb.valid.length, jsb.test.length]).toEqual([229, 76, 77]);
    const lengths = jsb.train.map((p) => p.steps);
    expect(lengths.reduce((a, b) => a + b, 0)).toBe(13_807);
    expect([Math.min(...lengths), Math.max(...lengths)]).toEqual([25, 129]);
    let low = 200;
    let high = 0;
    for (const piece of [...jsb.train, ...jsb.valid, ...jsb.test]) {
      for (const step of decodePianoRoll(piece)) for (const n of step) [low, high] = [Math.min(low, n), Math.max(high, n)];
    }
    expect([low, high]).toEqual([43, 96]);
    expect(jsb.test[3]!.name).toBe('jsb/test[3]');
  });

  it('rejects a malformed file, a missing split, an empty piece and a note out of 21..108, naming the piece', () => {
    const file = 'bad.json';
    const parse = (text: string) => () => parseMusicCorpus(text, { file, name: 'x' });
    const ok = [[[60]], [[62]]];
    expect(parse('{"train": [')).toThrow(MusicFormatError);
    expect(parse('{"train": [')).toThrow(/bad\.json.*expected JSON/);
    expect(parse(JSON.stringify({ train: ok, valid: ok }))).toThrow(/split "test".*no such key/);
    try {
      parseMusicCorpus(JSON.stringify({ train: ok, valid: [[[60]], []], test: ok }), { file, name: 'x' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MusicFormatError);
      expect((error as MusicFormatError).code).toBe('GATED_MUSIC_EMPTY_PIECE');
      expect((error as MusicFormatError).details.piece).toBe('x/valid[1]');
    }
    try {
      parseMusicCorpus(JSON.stringify({ train: ok, valid: ok, test: [[[60], [62, 109]]] }), { file, name: 'x' });
      expect.unreachable();
    } catch (error) {
      expect((error as MusicFormatError).code).toBe('GATED_MUSIC_NOTE_RANGE');
      expect((error as MusicFormatError).message).toBe('bad.json, piece x/test[0], step 1: expected MIDI notes in 21..108, found 109');
    }
    expect(parse(JSON.stringify({ train: ok, valid: ok, test: [[[60.5]]] }))).toThrow(/integer MIDI note numbers/);
    expect(parse(JSON.stringify({ train: ok, valid: ok, test: [[[], []]] }))).toThrow(/at least one note, found 2 silent steps/);
  });

  it('loads a corpus from a given file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'music-'));
    const file = join(dir, 'tiny.json');
    writeFileSync(file, JSON.stringify({ train: [[[21], [108]]], valid: [[[60]]], test: [[[60, 64]]] }));
    const corpus = await loadJsbChorales({ file });
    expect(decodePianoRoll(corpus.train[0]!)).toEqual([[21], [108]]);
  });
});

describe('piano-roll encoding', () => {
  it('puts MIDI note n on key n − 21 of 88 and decodes back', () => {
    const roll = encodePianoRoll([[21, 60], [], [108]], { file: 'f', piece: 'p' });
    expect(roll.steps).toBe(3);
    expect(roll.keys.length).toBe(3 * PIANO_KEYS);
    expect(roll.keys[0]).toBe(1);
    expect(roll.keys[39]).toBe(1);
    expect(roll.keys[2 * PIANO_KEYS + 87]).toBe(1);
    expect(roll.keys.reduce((a, b) => a + b, 0)).toBe(3);
    expect(decodePianoRoll(roll)).toEqual([[21, 60], [], [108]]);
  });

  it('rejects note 20 naming the step', () => {
    expect(() => encodePianoRoll([[60], [20]], { file: 'f', piece: 'p' })).toThrow('f, piece p, step 1: expected MIDI notes in 21..108, found 20');
  });
});
