import { fileURLToPath, readFile } from './platform/node.js';
import { MusicFormatError } from './errors.js';
import { type PianoRoll, encodePianoRoll } from './piano-roll.js';

/** The splits of a music corpus. */
export type MusicSplit = 'train' | 'valid' | 'test';
/** Splits in their standard order. */
export const MUSIC_SPLITS: readonly MusicSplit[] = ['train', 'valid', 'test'];

/** A corpus of piano rolls in the standard train / valid / test split. */
export interface MusicCorpus {
  readonly name: string;
  readonly train: readonly PianoRoll[];
  readonly valid: readonly PianoRoll[];
  readonly test: readonly PianoRoll[];
}

/** The JSB Chorales file shipped inside this package (quarter-note piano rolls, 229 / 76 / 77 pieces). */
export const JSB_CHORALES_FILE = fileURLToPath(new URL('../data/jsb-chorales-quarter.json', import.meta.url));

/**
 * Parses a corpus in the JSON form of Boulanger-Lewandowski et al. (2012) as published by C.-Z. A. Huang:
 * `{ "train": [...], "valid": [...], "test": [...] }`, each piece a list of time steps, each step the MIDI notes
 * sounding. Pieces are named `<name>/<split>[<index>]`. Throws {@link MusicFormatError} for malformed JSON, a
 * missing split, an empty piece or a note outside 21..108.
 */
export function parseMusicCorpus(text: string, options: { readonly file: string; readonly name: string }): MusicCorpus {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new MusicFormatError('GATED_MUSIC_MALFORMED', {
      file: options.file,
      piece: '(whole file)',
      step: -1,
      expected: 'JSON',
      actual: error instanceof Error ? error.message : String(error),
    });
  }
  const record = (typeof data === 'object' && data !== null && !Array.isArray(data) ? data : {}) as Record<string, unknown>;
  const splits = {} as Record<MusicSplit, PianoRoll[]>;
  for (const split of MUSIC_SPLITS) {
    const pieces = record[split];
    if (!Array.isArray(pieces) || pieces.length === 0) {
      throw new MusicFormatError('GATED_MUSIC_MALFORMED', {
        file: options.file,
        piece: `(split "${split}")`,
        step: -1,
        expected: `a non-empty list of pieces under "${split}"`,
        actual: Array.isArray(pieces) ? 'an empty list' : pieces === undefined ? 'no such key' : typeof pieces,
      });
    }
    splits[split] = pieces.map((piece, i) => encodePianoRoll(piece, { file: options.file, piece: `${options.name}/${split}[${i}]` }));
  }
  return { name: options.name, ...splits };
}

/**
 * Loads JSB Chorales — the 382 four-part Bach chorales in the standard split of Boulanger-Lewandowski, Bengio &
 * Vincent (ICML 2012): 229 train, 76 valid, 77 test pieces, quarter-note steps — from the copy shipped in this
 * package (or `file`).
 *
 * @example
 * const jsb = await loadJsbChorales();
 * jsb.train.length; // 229
 */
export async function loadJsbChorales(options: { readonly file?: string } = {}): Promise<MusicCorpus> {
  const file = options.file ?? JSB_CHORALES_FILE;
  return parseMusicCorpus(await readFile(file, 'utf8'), { file, name: 'jsb' });
}
