import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer.js';
import { EmptyCorpusError, InvalidUtf8Error, MissingColumnError, TextRecordError, UnknownTokenError, VocabularyFileError } from './errors.js';
import { readDelimited } from './read-delimited.js';
import { readJsonLines } from './read-json-lines.js';
import { readTextFile, readTextLines } from './read-text-file.js';
import { bytesNear, fuzzParameters, parsesOrThrowsTyped } from '../../../tools/test-utils/fuzz.js';
import { encodeTextFile, readTokenIds } from './token-id-file.js';
import { loadTokenizer, saveTokenizer, tokenizerFromJSON } from './tokenizer-file.js';
import { WordTokenizer } from './word-tokenizer.js';

// The package's own typed errors; an ArgumentError or a TypeError from a file's content is a bug.
const TYPED = [EmptyCorpusError, InvalidUtf8Error, MissingColumnError, TextRecordError, UnknownTokenError, VocabularyFileError];
const dir = mkdtempSync(join(tmpdir(), 'gated-text-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (bytes: Uint8Array, ext = '.txt'): string => {
  const path = join(dir, `f${n++}${ext}`);
  writeFileSync(path, bytes);
  return path;
};
const encode = (s: string) => new TextEncoder().encode(s);
const drain = async (it: AsyncIterable<unknown>): Promise<void> => {
  for await (const _ of it);
};

const plain = encode('héllo wörld\r\nsecond line ✓\n\nlast');
const csv = encode('text,label\n"quoted, with comma",pos\n"say ""hi""",neg\nplain,pos\n');
const jsonl = encode('{"text":"a","label":"x"}\n{"text":"b","label":"y"}\n\n');
const chunkSize = fc.constantFrom(4, 5, 7, 64, 1 << 20);

describe('text readers under fuzzing: records or a typed GatedError, within 2 s', () => {
  it('readTextFile and readTextLines over any bytes, at any chunk size (multi-byte characters split across chunks)', async () => {
    await fc.assert(
      fc.asyncProperty(bytesNear(plain), chunkSize, async (bytes, size) => {
        const path = file(bytes);
        await parsesOrThrowsTyped(path, (p) => drain(readTextFile(p, { chunkSize: size })), TYPED);
        await parsesOrThrowsTyped(path, (p) => drain(readTextLines(p, { chunkSize: size })), TYPED);
      }),
      fuzzParameters(),
    );
  });

  it('readDelimited and readJsonLines over any bytes', async () => {
    await fc.assert(
      fc.asyncProperty(bytesNear(csv, jsonl), chunkSize, fc.boolean(), async (bytes, size, header) => {
        await parsesOrThrowsTyped(file(bytes, '.csv'), (p) => drain(readDelimited(p, { chunkSize: size, header, ...(header ? {} : { textColumn: 0, labelColumn: 1 }) })), TYPED);
        await parsesOrThrowsTyped(file(bytes, '.jsonl'), (p) => drain(readJsonLines(p, { chunkSize: size })), TYPED);
      }),
      fuzzParameters(),
    );
  });

  it('encodeTextFile leaves no partial output file when the input fails', async () => {
    const tok = CharTokenizer.fit('abcdefghijklmnopqrstuvwxyz \n');
    await fc.assert(
      fc.asyncProperty(bytesNear(encode('abc def\nghi\n')), async (bytes) => {
        const output = join(dir, `out${n++}.ids`);
        let failed = false;
        await parsesOrThrowsTyped(file(bytes), async (p) => {
          try {
            await encodeTextFile(tok, p, output, { chunkSize: 8 });
          } catch (error) {
            failed = true;
            throw error;
          }
        }, TYPED);
        expect(existsSync(output)).toBe(!failed);
        if (!failed) await readTokenIds(output);
      }),
      fuzzParameters(100),
    );
  });

  it('readTokenIds over any bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), (bytes) => parsesOrThrowsTyped(file(bytes, '.ids'), readTokenIds, TYPED)), fuzzParameters());
  });
});

describe('tokenizer files under fuzzing: a tokenizer or a VocabularyFileError', () => {
  const saved = [CharTokenizer.fit('hello world').toJSON(), WordTokenizer.fit('hello big world').toJSON()];

  it('tokenizerFromJSON over any JSON value and objects with mutated fields', async () => {
    const mutated = fc
      .tuple(fc.constantFrom(...saved), fc.dictionary(fc.constantFrom('format', 'version', 'kind', 'lowercase', 'normalization', 'splitPunctuation', 'specials', 'tokens'), fc.anything(), { maxKeys: 3 }))
      .map(([json, overrides]) => ({ ...json, ...overrides }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything(), fc.jsonValue(), mutated), (json) => parsesOrThrowsTyped(json, (j) => tokenizerFromJSON(j), VocabularyFileError)),
      fuzzParameters(),
    );
  });

  it('loadTokenizer over mutated saved files', async () => {
    const path = join(dir, 'tok.json');
    await saveTokenizer(path, WordTokenizer.fit('hello big world'));
    const { readFileSync } = await import('node:fs');
    const valid = new Uint8Array(readFileSync(path));
    await fc.assert(fc.asyncProperty(bytesNear(valid), (bytes) => parsesOrThrowsTyped(file(bytes, '.json'), loadTokenizer, VocabularyFileError)), fuzzParameters(100));
  });
});
