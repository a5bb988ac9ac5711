import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, type OptionsError } from '@gated/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import * as api from './index.js';
import { caught, publicEntryPointTests, UNKNOWN } from '../../../tools/test-utils/public-options.js';

// Every export of the package is listed here: either how to call it with an unknown option key, or why it takes
// no options object. A new export fails the first test until it is added to one of the two lists.
const dir = mkdtempSync(join(tmpdir(), 'gated-speech-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const samples = new Float32Array(1600);
const features = api.featureMatrix(new Float32Array(6), 3, 2);
const corpus = { train: [], validation: [], test: [], labels: [] } as never;

const TAKES_OPTIONS: Record<string, () => unknown> = {
  loadConnectedDigits: () => api.loadConnectedDigits(UNKNOWN as never),
  batchTranscripts: () => api.batchTranscripts(0, () => { throw new Error('unused'); }, UNKNOWN as never),
  encodeWav: () => api.encodeWav({ sampleRate: 8000, channelData: [samples] }, UNKNOWN as never),
  resample: () => api.resample(samples, 16000, 8000, UNKNOWN as never),
  spectrogram: () => api.spectrogram(samples, { sampleRate: 16000, ...UNKNOWN }),
  fbank: () => api.fbank(samples, { sampleRate: 16000, ...UNKNOWN }),
  mfcc: () => api.mfcc(samples, { sampleRate: 16000, ...UNKNOWN }),
  logMelSpectrogram: () => api.logMelSpectrogram(samples, { sampleRate: 16000, ...UNKNOWN }),
  addDeltas: () => api.addDeltas(features, UNKNOWN as never),
  applyCmvn: () => api.applyCmvn(features, api.fitCmvn([features]), UNKNOWN as never),
  cmvnPerUtterance: () => api.cmvnPerUtterance(features, UNKNOWN as never),
  extractFeatures: () => api.extractFeatures(samples, 16000, { kind: 'mfcc', sampleRate: 16000, ...UNKNOWN }),
  FeatureCache: () => new api.FeatureCache(dir, { kind: 'mfcc', sampleRate: 16000, ...UNKNOWN }),
  listSpeechCommands: () => api.listSpeechCommands(dir, UNKNOWN as never),
  listFsdd: () => api.listFsdd(dir, UNKNOWN as never),
  batchUtterances: () => api.batchUtterances(1, () => ({ features, label: 0 }), UNKNOWN as never),
  speechDatasets: () => api.speechDatasets(corpus, UNKNOWN as never),
  loadSpokenDigits: () => api.loadSpokenDigits(UNKNOWN as never),
  'speechDatasets pipeline': () => api.speechDatasets(corpus, { pipeline: { kind: 'mfcc', sampleRate: 16000, ...UNKNOWN } }),
};

const NO_OPTIONS: Record<string, string> = {
  loadConnectedDigitsAudio: 'no arguments',
  decodeWav: 'bytes',
  downmixToMono: 'channels',
  WavFormatError: 'error class',
  SpeechDataError: 'error class',
  featureMatrix: 'positional arguments',
  toTensor2D: 'a feature matrix',
  CmvnAccumulator: 'no arguments',
  fitCmvn: 'utterances',
  loadSpokenDigitsAudio: 'no arguments',
  spokenDigitsFromBytes: 'positional arguments',
  speedPerturb: 'positional arguments',
};

describe('public entry points of @gated/datasets-speech', () => {
  publicEntryPointTests({ api, takesOptions: TAKES_OPTIONS, noOptions: NO_OPTIONS });

  it('a Kaldi option spelled the torchaudio way gets a suggestion, a bad window type the list of windows', async () => {
    const typo = await caught(() => api.mfcc(samples, { sampleRate: 16000, num_ceps: 13 } as never));
    expect((typo as Error).message).toContain('Did you mean "numCeps"?');
    const window = await caught(() => api.fbank(samples, { sampleRate: 16000, windowType: 'hann' as never }));
    expect((window as OptionsError).code).toBe('GATED_BAD_OPTION_VALUE');
    expect((window as Error).message).toContain(`'povey' | 'hamming' | 'hanning' | 'rectangular' | 'blackman'`);
  });
});

describe('wrong JS types', () => {
  it('decodeWav accepts an ArrayBuffer (the obvious alternative) and decodes it like the Uint8Array', () => {
    const bytes = api.encodeWav({ sampleRate: 8000, channelData: [Float32Array.from([0, 0.5, -0.5])] });
    const fromBuffer = api.decodeWav(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(fromBuffer.sampleRate).toBe(8000);
    expect(Array.from(fromBuffer.channelData[0]!)).toEqual(Array.from(api.decodeWav(bytes).channelData[0]!));
  });

  const wrong: Record<string, () => unknown> = {
    'decodeWav(null)': () => api.decodeWav(null as never),
    'decodeWav("RIFF")': () => api.decodeWav('RIFF' as never),
    'mfcc(samples) without options': () => (api.mfcc as (s: Float32Array) => unknown)(samples),
    'fbank(samples, null)': () => api.fbank(samples, null as never),
    'logMelSpectrogram(samples) without options': () => (api.logMelSpectrogram as (s: Float32Array) => unknown)(samples),
    'mfcc(plain array)': () => api.mfcc([0, 0, 0] as never, { sampleRate: 16000 }),
    'resample(plain array)': () => api.resample([0, 1] as never, 16000, 8000),
    'downmixToMono(null)': () => api.downmixToMono(null as never),
    'encodeWav(null)': () => api.encodeWav(null as never),
    'addDeltas(null)': () => api.addDeltas(null as never),
    'toTensor2D({})': () => api.toTensor2D({} as never),
    'applyCmvn(features, null)': () => api.applyCmvn(features, null as never),
    'extractFeatures(samples, 16000, undefined)': () => api.extractFeatures(samples, 16000, undefined as never),
    'listFsdd(null)': () => api.listFsdd(null as never),
    'batchUtterances(1, null)': () => api.batchUtterances(1, null as never),
  };
  it.each(Object.entries(wrong))('%s is an ArgumentError', async (_name, call) => {
    expect(await caught(call)).toBeInstanceOf(ArgumentError);
  });
});
