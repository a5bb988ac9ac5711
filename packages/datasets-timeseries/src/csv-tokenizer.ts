/** One parsed CSV record with the 1-based line it starts on. */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

/**
 * Incremental RFC 4180 tokenizer: feed text chunks with `push`, get the completed records back, call `end` after
 * the last chunk. Handles quoted fields (with doubled quotes and embedded newlines, also across chunk borders),
 * CRLF and a leading BOM. Entirely blank lines are skipped.
 */
export class CsvTokenizer {
  private readonly delimiter: string;
  private field = '';
  private fields: string[] = [];
  private inQuotes = false;
  /** A quote ended the previous chunk inside a quoted field: `""` (escaped) or the closing quote. */
  private pendingQuote = false;
  private quoted = false;
  private line = 1;
  private recordLine = 1;
  private atStart = true;

  constructor(delimiter: string) {
    this.delimiter = delimiter;
  }

  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (this.atStart && chunk.length > 0) {
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
      this.atStart = false;
    }
    if (this.pendingQuote && i < chunk.length) {
      this.pendingQuote = false;
      if (chunk[i] === '"') {
        this.field += '"';
        i++;
      } else {
        this.inQuotes = false;
      }
    }
    for (; i < chunk.length; i++) {
      const ch = chunk[i]!;
      if (this.inQuotes) {
        if (ch === '"') {
          if (i + 1 === chunk.length) {
            this.pendingQuote = true;
          } else if (chunk[i + 1] === '"') {
            this.field += '"';
            i++;
          } else {
            this.inQuotes = false;
          }
        } else {
          if (ch === '\n') this.line++;
          this.field += ch;
        }
      } else if (ch === '"' && this.field.length === 0) {
        this.inQuotes = true;
        this.quoted = true;
      } else if (ch === this.delimiter) {
        this.fields.push(this.field);
        this.field = '';
      } else if (ch === '\n') {
        this.finishRecord(out);
        this.line++;
        this.recordLine = this.line;
      } else if (ch !== '\r') {
        this.field += ch;
      }
    }
    return out;
  }

  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    this.pendingQuote = false;
    this.inQuotes = false;
    this.finishRecord(out);
    return out;
  }

  private finishRecord(out: CsvRecord[]): void {
    const blank = this.fields.length === 0 && this.field.length === 0 && !this.quoted;
    if (!blank) {
      this.fields.push(this.field);
      out.push({ fields: this.fields, line: this.recordLine });
    }
    this.fields = [];
    this.field = '';
    this.quoted = false;
  }
}

/** Picks the delimiter: tab for `.tsv`/`.tab` files or a header holding tabs and no commas, else comma. */
export function detectDelimiter(file: string, header: string): ',' | '\t' {
  if (/\.(tsv|tab)$/i.test(file)) return '\t';
  if (header.includes('\t') && !header.includes(',')) return '\t';
  return ',';
}
