import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, Rng } from '@gated/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import * as api from './index.js';
import { caught, publicEntryPointTests, UNKNOWN } from '../../../tools/test-utils/public-options.js';

// Every export of the package is listed here: either how to call it with an unknown option key, or why it takes
// no options object. A new export fails the first test until it is added to one of the two lists.
const dir = mkdtempSync(join(tmpdir(), 'gated-text-options-'));
const txt = join(dir, 'a.txt');
writeFileSync(txt, 'hello world\nsecond line\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tok = api.CharTokenizer.fit('hello world');
const ids = new Int32Array(40).fill(4);
const step = async () => new Float32Array(tok.vocab.size);
const padded = api.padSequences([[1, 2]], { maxLen: 2 });

const TAKES_OPTIONS: Record<string, () => unknown> = {
  Vocabulary: () => api.Vocabulary.fromCounts(new Map([['a', 1]]), UNKNOWN as never),
  CharTokenizer: () => api.CharTokenizer.fit('abc', UNKNOWN as never),
  WordTokenizer: () => api.WordTokenizer.fit('a b c', UNKNOWN as never),
  readTextFile: () => api.readTextFile(txt, UNKNOWN as never).next(),
  readTextLines: () => api.readTextLines(txt, UNKNOWN as never).next(),
  readTextFolder: () => api.readTextFolder(dir, UNKNOWN as never).next(),
  readDelimited: () => api.readDelimited(txt, UNKNOWN as never).next(),
  readJsonLines: () => api.readJsonLines(txt, UNKNOWN as never).next(),
  encodeTextFile: () => api.encodeTextFile(tok, txt, join(dir, 'a.ids'), UNKNOWN as never),
  contiguousSplit: () => api.contiguousSplit('abcdefghij', { train: 0.8, validation: 0.1, test: 0.1, ...UNKNOWN } as never),
  contiguousRanges: () => api.contiguousRanges(10, { train: 0.8, validation: 0.1, test: 0.1, ...UNKNOWN } as never),
  RandomWindowDataset: () => new api.RandomWindowDataset(ids, { batchSize: 2, seqLen: 3, ...UNKNOWN }),
  prepareLanguageModel: () => api.prepareLanguageModel('hello world '.repeat(20), { seqLen: 4, batchSize: 2, ...UNKNOWN }),
  padSequences: () => api.padSequences([[1, 2]], { maxLen: 2, ...UNKNOWN }),
  stratifiedSplit: () => api.stratifiedSplit([0, 1, 0, 1], { train: 0.5, validation: 0.25, test: 0.25, ...UNKNOWN } as never),
  ClassificationDataset: () => new api.ClassificationDataset({ ...padded, labels: new Int32Array([0]) }, { batchSize: 1, ...UNKNOWN }),
  prepareClassification: () => api.prepareClassification(['a b', 'c d'], ['x', 'y'], { maxLen: 4, ...UNKNOWN }),
  loadMobyDickText: () => api.loadMobyDickText(UNKNOWN as never),
  loadMobyDickLM: () => api.loadMobyDickLM({ seqLen: 4, batchSize: 2, ...UNKNOWN }),
  loadSpamAssassin: () => api.loadSpamAssassin(UNKNOWN as never),
  loadSpamClassification: () => api.loadSpamClassification(UNKNOWN as never),
  sampleFromLogits: () => api.sampleFromLogits([0, 1], UNKNOWN as never, new Rng(0)),
  sampleTokens: () => api.sampleTokens(step, [1], { maxTokens: 1, ...UNKNOWN }),
  generateText: () => api.generateText(step, tok, { maxTokens: 1, ...UNKNOWN }),
  'CharTokenizer fitAsync': () => api.CharTokenizer.fitAsync(['abc'], UNKNOWN as never),
  'WordTokenizer fitAsync': () => api.WordTokenizer.fitAsync(['a b'], UNKNOWN as never),
  'CharTokenizer constructor': () => new api.CharTokenizer(tok.vocab, UNKNOWN as never),
  'WordTokenizer constructor': () => new api.WordTokenizer(tok.vocab, UNKNOWN as never),
  'CharTokenizer encode': () => tok.encode('abc', UNKNOWN as never),
  'CharTokenizer decode': () => tok.decode([1], UNKNOWN as never),
  'CharTokenizer encodeStream': () => tok.encodeStream(['abc'], UNKNOWN as never).next(),
  loadCmudict: () => api.loadCmudict(UNKNOWN as never),
  splitByWord: () => api.splitByWord([{ word: 'a' }], UNKNOWN as never),
  G2PVocabulary: () => new api.G2PVocabulary(UNKNOWN as never),
  'prepareLanguageModel split': () => api.prepareLanguageModel('hello world', { seqLen: 4, batchSize: 2, split: { train: 1, validation: 0, test: 0, ...UNKNOWN } as never }),
};

const NO_OPTIONS: Record<string, string> = {
  saveTokenizer: 'a path and a tokenizer',
  loadTokenizer: 'a path',
  tokenizerFromJSON: 'parsed JSON and a file name',
  collectLabelled: 'records',
  writeTokenIds: 'a path and ids',
  readTokenIds: 'a path',
  LabelVocabulary: 'class names',
  emailToText: 'raw bytes or text',
  htmlToText: 'a string',
  decodeMailBytes: 'bytes',
  recurrentStepper: 'a model',
  perplexity: 'a number',
  bitsPerToken: 'a number',
  bitsPerCharacter: 'a number and a { tokens, characters } scale',
  crossEntropy: 'tensors',
  editDistance: 'two sequences',
  g2pErrorRates: 'predictions and references',
  EmptyCorpusError: 'error class',
  GraphemeError: 'error class',
  PhonemeError: 'error class',
  MissingColumnError: 'error class',
  InvalidUtf8Error: 'error class',
  TextRecordError: 'error class',
  UnknownTokenError: 'error class',
  VocabularyFileError: 'error class',
};

describe('public entry points of @gated/datasets-text', () => {
  publicEntryPointTests({ api, takesOptions: TAKES_OPTIONS, noOptions: NO_OPTIONS });

  it('CharTokenizer.fit({ maxVocab }) suggests maxVocabSize', async () => {
    const error = await caught(() => api.CharTokenizer.fit('abc', { maxVocab: 10 } as never));
    expect((error as Error).message).toContain('CharTokenizer.fit: unknown option "maxVocab"');
    expect((error as Error).message).toContain('Did you mean "maxVocabSize"?');
  });

  it('wrong JS types get an ArgumentError', async () => {
    for (const call of [
      () => api.CharTokenizer.fit(42 as never),
      () => tok.encode(null as never),
      () => tok.decode(null as never),
      () => api.readTextFile(null as never).next(),
      () => api.padSequences('abc' as never, { maxLen: 2 }),
      () => api.prepareClassification('a' as never, ['x'], { maxLen: 2 }),
      () => api.decodeMailBytes(null as never),
      () => api.emailToText(7 as never),
      () => api.contiguousRanges(10, null as never),
    ]) {
      expect(await caught(call)).toBeInstanceOf(ArgumentError);
    }
  });

  it('decodeMailBytes accepts an ArrayBuffer', () => {
    expect(api.decodeMailBytes(new TextEncoder().encode('héllo').buffer as ArrayBuffer)).toBe('héllo');
  });
});
