import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@gated/tensor';
import { describe, expect, it } from 'vitest';
import { readDelimited } from './read-delimited.js';

const dir = mkdtempSync(join(tmpdir(), 'gated-text-csv-fuzz-'));

// Quotes a field as Python's csv module does with QUOTE_MINIMAL.
const quote = (f: string, d: string): string => (/["\r\n]/.test(f) || f.includes(d) ? `"${f.replace(/"/g, '""')}"` : f);

describe('readDelimited on random files', () => {
  it('reads back exactly the fields written, for any chunk size', async () => {
    const rng = new Rng(5);
    const alphabet = ['a', 'b', ' ', ',', '\t', '"', '\n', '\r\n', 'é', '🐋', 'x'];
    for (let trial = 0; trial < 40; trial++) {
      const d = trial % 2 === 0 ? ',' : '\t';
      const rows = Array.from({ length: 1 + rng.int(8) }, () =>
        Array.from({ length: 2 }, () => Array.from({ length: rng.int(6) }, () => alphabet[rng.int(alphabet.length)]!).join('')),
      );
      const rowsWithText = rows.map(([text, label]) => [text!.length === 0 ? 'x' : text!, label!]);
      const body = ['text', 'label'].join(d) + '\n' + rowsWithText.map((r) => r.map((f) => quote(f, d)).join(d)).join(trial % 3 === 0 ? '\r\n' : '\n');
      const path = join(dir, `t${trial}.csv`);
      writeFileSync(path, body);
      const got: string[][] = [];
      for await (const r of readDelimited(path, { delimiter: d, chunkSize: 4 + rng.int(20) })) got.push([r.text, r.label!]);
      expect(got).toEqual(rowsWithText);
    }
  });
});
