import { basename, readFile } from './platform/node.js';
import { ArgumentError, assertNumberInRange, writeFileAtomic } from '@gated/tensor';
import tonejs from '@tonejs/midi';
import { MusicFormatError } from './errors.js';
import { HIGHEST_NOTE, LOWEST_NOTE, PIANO_KEYS, type PianoRoll } from './piano-roll.js';

const { Midi } = tonejs;

/** Options of the MIDI conversions; defaults in {@link MIDI_DEFAULTS}. */
export interface MidiOptions {
  /** Tempo in quarter notes per minute; one piano-roll step is one quarter note (JSB's quantisation). */
  readonly bpm?: number;
  /** Note-on velocity in [0, 1]. */
  readonly velocity?: number;
}

/** Defaults of {@link MidiOptions}. */
export const MIDI_DEFAULTS = { bpm: 90, velocity: 0.8 } as const;

function resolve(options: MidiOptions): Required<MidiOptions> {
  for (const key of Object.keys(options)) {
    if (!(key in MIDI_DEFAULTS)) throw new ArgumentError('options', `keys of ${Object.keys(MIDI_DEFAULTS).join(', ')}`, JSON.stringify(key));
  }
  const o = { ...MIDI_DEFAULTS, ...options };
  assertNumberInRange('bpm', o.bpm, 1, 1000);
  assertNumberInRange('velocity', o.velocity, 0, 1);
  return o;
}

/**
 * A standard MIDI file (format 1, one track, written with @tonejs/midi) of a piano roll: a key held over
 * consecutive steps is one note, one step lasts a quarter note at `bpm`.
 */
export function pianoRollToMidi(roll: PianoRoll, options: MidiOptions = {}): Uint8Array {
  const o = resolve(options);
  const midi = new Midi();
  midi.header.setTempo(o.bpm);
  midi.header.name = roll.name;
  const track = midi.addTrack();
  track.name = roll.name;
  const step = 60 / o.bpm;
  for (let k = 0; k < PIANO_KEYS; k++) {
    let start = -1;
    for (let t = 0; t <= roll.steps; t++) {
      const on = t < roll.steps && roll.keys[t * PIANO_KEYS + k] === 1;
      if (on && start < 0) start = t;
      if (!on && start >= 0) {
        track.addNote({ midi: LOWEST_NOTE + k, time: start * step, duration: (t - start) * step, velocity: o.velocity });
        start = -1;
      }
    }
  }
  return midi.toArray();
}

/**
 * Reads a MIDI file back into a piano roll sampled at quarter notes (a key is on at step t when a note covers the
 * step's start). Throws {@link MusicFormatError} naming the file for bytes that are not a MIDI file, a file without
 * notes, or notes outside 21..108.
 */
export function midiToPianoRoll(bytes: Uint8Array, options: { readonly name: string }): PianoRoll {
  const fail = (code: 'GATED_MUSIC_MALFORMED' | 'GATED_MUSIC_EMPTY_PIECE' | 'GATED_MUSIC_NOTE_RANGE', step: number, expected: string, actual: string) =>
    new MusicFormatError(code, { file: options.name, piece: options.name, step, expected, actual });
  let midi: InstanceType<typeof Midi>;
  try {
    midi = new Midi(bytes);
  } catch (error) {
    throw fail('GATED_MUSIC_MALFORMED', -1, 'a standard MIDI file', error instanceof Error ? error.message : String(error));
  }
  const ppq = midi.header.ppq;
  const notes = midi.tracks.flatMap((t) => t.notes);
  if (notes.length === 0) throw fail('GATED_MUSIC_EMPTY_PIECE', -1, 'at least one note', `${midi.tracks.length} track(s) without notes`);
  const steps = Math.max(...notes.map((n) => Math.ceil((n.ticks + n.durationTicks) / ppq)));
  const keys = new Uint8Array(steps * PIANO_KEYS);
  for (const n of notes) {
    const first = Math.ceil(n.ticks / ppq);
    if (n.midi < LOWEST_NOTE || n.midi > HIGHEST_NOTE) throw fail('GATED_MUSIC_NOTE_RANGE', first, `MIDI notes in ${LOWEST_NOTE}..${HIGHEST_NOTE}`, String(n.midi));
    for (let t = first; t * ppq < n.ticks + n.durationTicks; t++) keys[t * PIANO_KEYS + n.midi - LOWEST_NOTE] = 1;
  }
  return { name: options.name, steps, keys };
}

/** Writes a piano roll as a MIDI file, atomically (see {@link pianoRollToMidi}). */
export async function writeMidiFile(path: string, roll: PianoRoll, options: MidiOptions = {}): Promise<void> {
  await writeFileAtomic(path, pianoRollToMidi(roll, options));
}

/** Reads a MIDI file into a piano roll (see {@link midiToPianoRoll}); the piece is named after the file. */
export async function readMidiFile(path: string): Promise<PianoRoll> {
  return midiToPianoRoll(new Uint8Array(await readFile(path)), { name: basename(path) });
}
