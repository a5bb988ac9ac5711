import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmptyCorpusError, InvalidUtf8Error, MissingColumnError, TextRecordError } from './errors.js';
import { collectLabelled } from './collect-labelled.js';
import { readDelimited } from './read-delimited.js';
import { readJsonLines } from './read-json-lines.js';
import { readTextFolder } from './read-text-folder.js';
import type { TextRecord } from './text-record.js';

const dir = mkdtempSync(join(tmpdir(), 'gated-text-records-'));

async function collect(it: AsyncIterable<TextRecord>): Promise<TextRecord[]> {
  const out: TextRecord[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const pick = (rs: TextRecord[]) => rs.map(({ text, label, line }) => ({ text, label, line }));

describe('readDelimited', () => {
  const csv = 'id,text,label\r\n1,"Hello, world",pos\r\n2,"She said ""no""\nand left",neg\r\n\r\n3,plain text,pos\r\n';
  const expected = [
    { text: 'Hello, world', label: 'pos', line: 2 },
    { text: 'She said "no"\nand left', label: 'neg', line: 3 },
    { text: 'plain text', label: 'pos', line: 6 },
  ];

  it('reads RFC 4180 CSV (quoted commas, doubled quotes, newlines in fields, CRLF) with the line each row starts on', async () => {
    const path = join(dir, 'reviews.csv');
    writeFileSync(path, csv);
    expect(pick(await collect(readDelimited(path)))).toEqual(expected);
  });

  it('gives the same rows whatever the chunk size (quotes and CRLF cut across chunks)', async () => {
    const path = join(dir, 'reviews-chunks.csv');
    writeFileSync(path, csv);
    for (const chunkSize of [4, 5, 6, 7, 11]) expect(pick(await collect(readDelimited(path, { chunkSize })))).toEqual(expected);
  });

  it('reads TSV by extension and columns by index without a header', async () => {
    const path = join(dir, 'spam.tsv');
    writeFileSync(path, 'ham\tsee you at noon\nspam\tWIN a prize\n');
    const rows = await collect(readDelimited(path, { header: false, textColumn: 1, labelColumn: 0 }));
    expect(pick(rows)).toEqual([
      { text: 'see you at noon', label: 'ham', line: 1 },
      { text: 'WIN a prize', label: 'spam', line: 2 },
    ]);
  });

  it('rejects a missing label column, naming the file and the columns found', async () => {
    const path = join(dir, 'nolabel.csv');
    writeFileSync(path, 'text,sentiment\nfine,pos\n');
    const error = (await collect(readDelimited(path)).catch((e: unknown) => e)) as MissingColumnError;
    expect(error).toBeInstanceOf(MissingColumnError);
    expect(error.code).toBe('GATED_TEXT_MISSING_COLUMN');
    expect(error.details).toMatchObject({ file: path, line: 1, column: 'label', available: ['text', 'sentiment'] });
    expect(error.message).toContain(`${path}:1`);
  });

  it('rejects a row with a different number of fields, naming its line', async () => {
    const path = join(dir, 'ragged.csv');
    writeFileSync(path, 'text,label\na,pos\nb,neg,extra\n');
    await expect(collect(readDelimited(path))).rejects.toThrow(/ragged\.csv:3: expected 2 fields/);
  });

  it('rejects a file with a header and no rows as an empty corpus', async () => {
    const path = join(dir, 'header-only.csv');
    writeFileSync(path, 'text,label\n');
    await expect(collect(readDelimited(path))).rejects.toThrow(EmptyCorpusError);
    const jsonl = join(dir, 'blank.jsonl');
    writeFileSync(jsonl, '\n\n');
    await expect(collect(readJsonLines(jsonl))).rejects.toThrow(EmptyCorpusError);
  });

  it('rejects an unterminated quoted field', async () => {
    const path = join(dir, 'open.csv');
    writeFileSync(path, 'text,label\n"never closed,pos\n');
    await expect(collect(readDelimited(path))).rejects.toThrow(TextRecordError);
  });
});

describe('readJsonLines', () => {
  it('reads one object per line, skipping blank lines, labels as strings', async () => {
    const path = join(dir, 'data.jsonl');
    writeFileSync(path, '{"text":"good","label":1}\n\n{"text":"bad","label":0,"extra":true}\n');
    expect(pick(await collect(readJsonLines(path)))).toEqual([
      { text: 'good', label: '1', line: 1 },
      { text: 'bad', label: '0', line: 3 },
    ]);
  });

  it('rejects invalid JSON and a missing field, naming file and line', async () => {
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, '{"text":"a","label":"x"}\n{"text": oops}\n');
    await expect(collect(readJsonLines(broken))).rejects.toThrow(/broken\.jsonl:2: expected a JSON object/);
    const missing = join(dir, 'missing.jsonl');
    writeFileSync(missing, '{"text":"a","label":"x"}\n{"text":"b","class":"y"}\n');
    const error = (await collect(readJsonLines(missing)).catch((e: unknown) => e)) as MissingColumnError;
    expect(error).toBeInstanceOf(MissingColumnError);
    expect(error.details).toMatchObject({ file: missing, line: 2, column: 'label', available: ['text', 'class'] });
  });

  it('reads unlabelled text with labelField null', async () => {
    const path = join(dir, 'plain.jsonl');
    writeFileSync(path, '{"body":"x"}\n');
    expect(pick(await collect(readJsonLines(path, { textField: 'body', labelField: null })))).toEqual([{ text: 'x', label: undefined, line: 1 }]);
  });
});

describe('readTextFolder', () => {
  it('reads files in sorted order with labels from class sub-folders', async () => {
    const root = join(dir, 'imdb');
    mkdirSync(join(root, 'pos'), { recursive: true });
    mkdirSync(join(root, 'neg'), { recursive: true });
    writeFileSync(join(root, 'pos', '2.txt'), 'great');
    writeFileSync(join(root, 'pos', '1.txt'), 'loved it');
    writeFileSync(join(root, 'neg', '1.txt'), 'awful');
    writeFileSync(join(root, 'neg', 'notes.md'), 'ignored');
    const rows = await collect(readTextFolder(root, { labelFromFolder: true }));
    expect(rows.map((r) => [r.label, r.text])).toEqual([
      ['neg', 'awful'],
      ['pos', 'loved it'],
      ['pos', 'great'],
    ]);
  });

  it('rejects a folder without text files and a file that is not UTF-8', async () => {
    const empty = join(dir, 'nothing');
    mkdirSync(empty);
    await expect(collect(readTextFolder(empty))).rejects.toThrow(EmptyCorpusError);
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'a.txt'), Buffer.from([0x61, 0x0a, 0xff]));
    await expect(collect(readTextFolder(bad))).rejects.toThrow(/a\.txt:2: expected UTF-8/);
    await expect(collect(readTextFolder(bad))).rejects.toThrow(InvalidUtf8Error);
  });
});

describe('collectLabelled', () => {
  it('gathers texts and labels, and rejects a record without a label naming its file and line', async () => {
    const path = join(dir, 'collect.csv');
    writeFileSync(path, 'text,label\nyes,pos\nno,neg\n');
    expect(await collectLabelled(readDelimited(path))).toEqual({ texts: ['yes', 'no'], labels: ['pos', 'neg'] });
    await expect(collectLabelled(readDelimited(path, { labelColumn: null }))).rejects.toThrow(/collect\.csv:2/);
  });
});
