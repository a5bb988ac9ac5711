import { describe, expect, it } from 'vitest';
import { CsvTokenizer, detectDelimiter } from './csv-tokenizer.js';

const tokenize = (text: string, chunks: number[] = []): { fields: string[]; line: number }[] => {
  const t = new CsvTokenizer(',');
  const out = [];
  let at = 0;
  for (const c of chunks) {
    out.push(...t.push(text.slice(at, c)));
    at = c;
  }
  out.push(...t.push(text.slice(at)), ...t.end());
  return out.map((r) => ({ fields: r.fields, line: r.line }));
};

describe('CsvTokenizer', () => {
  const text = '\ufeffa,b,c\r\n1,"x, ""quoted""",3\n\n2,"multi\nline",\n3,,"end"';

  it('splits quoted fields, doubled quotes, CRLF, BOM and embedded newlines, skipping blank lines', () => {
    expect(tokenize(text)).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', 'x, "quoted"', '3'], line: 2 },
      { fields: ['2', 'multi\nline', ''], line: 4 },
      { fields: ['3', '', 'end'], line: 6 },
    ]);
  });

  it('gives the same records wherever the text is cut into chunks', () => {
    const whole = tokenize(text);
    for (let cut = 0; cut <= text.length; cut++) expect(tokenize(text, [cut])).toEqual(whole);
    for (let cut = 0; cut + 3 <= text.length; cut++) expect(tokenize(text, [cut, cut + 1, cut + 3])).toEqual(whole);
  });

  it('detects tab-separated files by extension or header', () => {
    expect(detectDelimiter('x.tsv', 'a,b')).toBe('\t');
    expect(detectDelimiter('x.txt', 'a\tb')).toBe('\t');
    expect(detectDelimiter('x.csv', 'a,b')).toBe(',');
  });
});
