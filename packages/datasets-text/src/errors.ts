import { GatedError } from '@gated/tensor';

/** Where in an input a problem was found. `file` is a path or a label such as `'training text'`. */
export interface TextLocation {
  readonly file: string;
  /** 1-based line number, when the input has lines. */
  readonly line?: number;
}

const at = (loc: TextLocation): string => (loc.line === undefined ? loc.file : `${loc.file}:${loc.line}`);

/** There was no text to learn from (an empty file, folder or list, or a split with no examples). */
export class EmptyCorpusError extends GatedError<TextLocation & { readonly expected: string }> {
  constructor(loc: TextLocation, expected = 'at least one character of text') {
    super('GATED_TEXT_EMPTY_CORPUS', `${at(loc)}: expected ${expected}, found none`, { ...loc, expected });
  }
}

/** A CSV/TSV column or JSON-lines field that was asked for does not exist. */
export class MissingColumnError extends GatedError<TextLocation & { readonly column: string; readonly available: readonly string[] }> {
  constructor(loc: TextLocation, column: string, available: readonly string[]) {
    super(
      'GATED_TEXT_MISSING_COLUMN',
      `${at(loc)}: expected a column "${column}", found ${available.length === 0 ? 'no columns' : available.map((c) => `"${c}"`).join(', ')}`,
      { ...loc, column, available },
    );
  }
}

/** The bytes of a text input are not valid UTF-8. */
export class InvalidUtf8Error extends GatedError<TextLocation & { readonly line: number; readonly byteOffset: number; readonly bytes: string }> {
  constructor(file: string, line: number, byteOffset: number, bytes: string) {
    super(
      'GATED_TEXT_INVALID_UTF8',
      `${file}:${line}: expected UTF-8 text, found the invalid byte sequence ${bytes} at byte ${byteOffset}`,
      { file, line, byteOffset, bytes },
    );
  }
}

/** A record of a CSV/TSV or JSON-lines file cannot be read (bad JSON, wrong number of fields, wrong type). */
export class TextRecordError extends GatedError<TextLocation & { readonly expected: string; readonly actual: string }> {
  constructor(loc: TextLocation, expected: string, actual: string) {
    super('GATED_TEXT_BAD_RECORD', `${at(loc)}: expected ${expected}, found ${actual}`, { ...loc, expected, actual });
  }
}

/** A token is not in the vocabulary and the vocabulary has no `<unk>` to map it to. */
export class UnknownTokenError extends GatedError<{ readonly token: string; readonly position: number; readonly line: number; readonly file?: string }> {
  constructor(token: string, position: number, line: number, file?: string) {
    const where = file === undefined ? `line ${line}` : `${file}:${line}`;
    super(
      'GATED_TEXT_UNKNOWN_TOKEN',
      `${where}: expected a token of the vocabulary (it has no <unk>), found ${JSON.stringify(token)} at token ${position}`,
      file === undefined ? { token, position, line } : { token, position, line, file },
    );
  }
}

/** A saved tokenizer/vocabulary file has another format version or is malformed. */
export class VocabularyFileError extends GatedError<{ readonly file: string; readonly expected: string; readonly actual: string }> {
  constructor(code: 'GATED_TEXT_VOCAB_VERSION' | 'GATED_TEXT_VOCAB_FORMAT', file: string, expected: string, actual: string) {
    super(code, `${file}: expected ${expected}, found ${actual}`, { file, expected, actual });
  }
}
