import { GatedError } from '@gated/tensor';

/** Stable codes of {@link WavFormatError}, one per way a WAV file can be unreadable. */
export type WavErrorCode =
  | 'GATED_WAV_NOT_RIFF'
  | 'GATED_WAV_TRUNCATED'
  | 'GATED_WAV_CHUNK_SIZE'
  | 'GATED_WAV_NO_FORMAT'
  | 'GATED_WAV_NO_DATA'
  | 'GATED_WAV_BAD_FORMAT'
  | 'GATED_WAV_UNSUPPORTED_CODEC';

/** Typed payload of a {@link WavFormatError}. */
export interface WavErrorDetails {
  /** What the decoder needed at this point. */
  readonly expected: string;
  /** What it found. */
  readonly actual: string;
  /** Byte offset in the file where the problem is, when there is one. */
  readonly offset?: number;
  /** The chunk id concerned (`'fmt '`, `'data'`, …), when there is one. */
  readonly chunk?: string;
}

/**
 * A byte buffer is not a WAV file {@link decodeWav} can read. `code` says which way it fails; the message says
 * what was expected and what was found, and where.
 */
export class WavFormatError extends GatedError<WavErrorDetails> {
  declare readonly code: WavErrorCode;

  constructor(code: WavErrorCode, what: string, details: WavErrorDetails) {
    const where = details.offset === undefined ? '' : ` at byte ${details.offset}`;
    super(code, `WAV ${what}${where}: expected ${details.expected}, found ${details.actual}`, details);
  }
}

/** Typed payload of a {@link SpeechDataError}. */
export interface SpeechDataErrorDetails {
  /** The file or folder concerned. */
  readonly file: string;
  readonly expected: string;
  readonly actual: string;
  /** 1-based line, for list files. */
  readonly row?: number;
}

/** Stable codes of {@link SpeechDataError}. */
export type SpeechDataErrorCode = 'GATED_SPEECH_LAYOUT' | 'GATED_SPEECH_BAD_FILE' | 'GATED_SPEECH_EMPTY_SPLIT';

/**
 * A speech corpus on disk does not have the layout a loader expects (missing folder, file name not in the
 * `{digit}_{speaker}_{index}.wav` pattern, a split list naming a missing file, an empty split), or a clip in
 * it cannot be read. The message names the file.
 */
export class SpeechDataError extends GatedError<SpeechDataErrorDetails> {
  declare readonly code: SpeechDataErrorCode;

  constructor(code: SpeechDataErrorCode, message: string, details: SpeechDataErrorDetails, options?: { cause?: unknown }) {
    const row = details.row === undefined ? '' : `:${details.row}`;
    super(code, `${details.file}${row}: ${message} (expected ${details.expected}, found ${details.actual})`, details, options);
  }
}
