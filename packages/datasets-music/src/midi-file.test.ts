import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import tonejs from '@tonejs/midi';
import { beforeAll, describe, expect, it } from 'vitest';
import { MusicFormatError } from './errors.js';
import { loadJsbChorales } from './jsb-chorales.js';
import { midiToPianoRoll, pianoRollToMidi, readMidiFile, writeMidiFile } from './midi-file.js';
import { PIANO_KEYS, type PianoRoll } from './piano-roll.js';
import { samplePiece } from './sample-piece.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('MIDI files', () => {
  it('a JSB test chorale survives piano roll → MIDI → piano roll', async () => {
    const jsb = await loadJsbChorales();
    const piece = jsb.test[0]!;
    const back = midiToPianoRoll(pianoRollToMidi(piece), { name: 'x.mid' });
    expect(back.steps).toBe(piece.steps);
    expect(Array.from(back.keys)).toEqual(Array.from(piece.keys));
  });

  it('holds a key over consecutive steps as one note of that many quarter notes', () => {
    const keys = new Uint8Array(3 * PIANO_KEYS);
    keys[60 - 21] = 1;
    keys[PIANO_KEYS + 60 - 21] = 1;
    const midi = new tonejs.Midi(pianoRollToMidi({ name: 'held', steps: 3, keys }, { bpm: 60 }));
    const notes = midi.tracks[0]!.notes;
    expect(notes.map((n) => [n.midi, n.time, n.duration])).toEqual([[60, 0, 2]]);
  });

  it('rejects bytes that are not MIDI, a file without notes and notes out of 21..108, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'midi-'));
    const bad = join(dir, 'broken.mid');
    writeFileSync(bad, 'not a midi file');
    await expect(readMidiFile(bad)).rejects.toThrow(MusicFormatError);
    await expect(readMidiFile(bad)).rejects.toThrow(/broken\.mid.*expected a standard MIDI file/);
    const empty = new tonejs.Midi();
    empty.addTrack();
    expect(() => midiToPianoRoll(empty.toArray(), { name: 'silent.mid' })).toThrow(/silent\.mid.*at least one note/);
    const low = new tonejs.Midi();
    low.addTrack().addNote({ midi: 12, time: 0, duration: 1 });
    try {
      midiToPianoRoll(low.toArray(), { name: 'low.mid' });
      expect.unreachable();
    } catch (error) {
      expect((error as MusicFormatError).code).toBe('GATED_MUSIC_NOTE_RANGE');
      expect((error as MusicFormatError).details.piece).toBe('low.mid');
    }
  });
});

describe('sampling a piece', () => {
  it('continues the primer deterministically per seed, keys on with probability σ(logit), written as MIDI', async () => {
    const jsb = await loadJsbChorales();
    const primer: PianoRoll = { name: 'primer', steps: 4, keys: jsb.test[1]!.keys.slice(0, 4 * PIANO_KEYS) };
    // A "model" that always scores key 60 certain-on (+30), key 62 a coin flip (0) and the rest certain-off (−30).
    const bias = new Float32Array(PIANO_KEYS).fill(-30);
    bias[60 - 21] = 30;
    bias[62 - 21] = 0;
    const predict = (x: tf.Tensor3D) => tf.tidy(() => tf.add(tf.mul(x, 0), tf.tensor1d(bias)));
    const before = tf.memory().numTensors;
    const a = await samplePiece({ primer, steps: 40, seed: 3, predict });
    const b = await samplePiece({ primer, steps: 40, seed: 3, predict });
    expect(tf.memory().numTensors).toBe(before);
    expect(a.steps).toBe(44);
    expect(Array.from(a.keys.subarray(0, 4 * PIANO_KEYS))).toEqual(Array.from(primer.keys));
    expect(Array.from(a.keys)).toEqual(Array.from(b.keys));
    let c62 = 0;
    for (let t = 4; t < 44; t++) {
      const frame = a.keys.subarray(t * PIANO_KEYS, (t + 1) * PIANO_KEYS);
      expect(frame[60 - 21]).toBe(1);
      c62 += frame[62 - 21]!;
      expect(frame.reduce((s, v) => s + v, 0) - frame[60 - 21]! - frame[62 - 21]!).toBe(0);
    }
    // 40 fair coin flips: 8..32 holds with probability > 0.9999.
    expect(c62).toBeGreaterThan(8);
    expect(c62).toBeLessThan(32);
    const out = join(mkdtempSync(join(tmpdir(), 'gen-')), 'sampled.mid');
    await writeMidiFile(out, a);
    expect((await readMidiFile(out)).steps).toBe(44);
  });
});
