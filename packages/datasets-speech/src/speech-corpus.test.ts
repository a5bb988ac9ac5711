import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpeechDataError } from './errors.js';
import { FeatureCache } from './feature-cache.js';
import { extractFeatures } from './feature-pipeline.js';
import { listFsdd, listSpeechCommands } from './speech-corpus.js';
import { speechDatasets } from './speech-dataset.js';
import { loadSpokenDigitsAudio } from './spoken-digits.js';
import { decodeWav } from './wav-decode.js';
import { encodeWav } from './wav-encode.js';

let root: string;
let clips: { samples: Float32Array; label: number }[];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  root = await mkdtemp(join(tmpdir(), 'gated-speech-'));
  const audio = await loadSpokenDigitsAudio();
  clips = audio.clips.slice(0, 60).map((c) => ({ samples: c.samples, label: c.label }));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const wav = (samples: Float32Array, sampleRate = 8000): Uint8Array => encodeWav({ sampleRate, channelData: [samples] });

async function makeFsdd(dir: string, speakers: string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  let k = 0;
  for (const speaker of speakers) {
    for (let digit = 0; digit < 10; digit++) {
      for (let index = 0; index < 2; index++) {
        const clip = clips[(k++ * 7) % clips.length]!;
        await writeFile(join(dir, `${digit}_${speaker}_${index}.wav`), wav(clip.samples));
      }
    }
  }
}

describe('listFsdd', () => {
  it('parses {digit}_{speaker}_{index}.wav and splits by speaker', async () => {
    const dir = join(root, 'fsdd');
    await makeFsdd(dir, ['george', 'jackson', 'lucas', 'nicolas', 'theo', 'yweweler']);
    await writeFile(join(dir, 'README.md'), 'not audio');
    const corpus = await listFsdd(dir, { seed: 1 });
    expect(corpus.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(corpus.train.length + corpus.validation.length + corpus.test.length).toBe(120);
    const speakers = (us: readonly { speaker: string }[]): Set<string> => new Set(us.map((u) => u.speaker));
    expect(speakers(corpus.test).size).toBe(1);
    expect(speakers(corpus.validation).size).toBe(1);
    for (const s of speakers(corpus.test)) expect(speakers(corpus.train).has(s) || speakers(corpus.validation).has(s)).toBe(false);
    expect(corpus.train.find((u) => u.path.endsWith('7_george_1.wav') || u.path.endsWith('7_jackson_1.wav'))?.label ?? 7).toBe(7);
    const chosen = await listFsdd(dir, { testSpeakers: ['theo'], validationSpeakers: ['lucas'] });
    expect([...speakers(chosen.test)]).toEqual(['theo']);
    expect([...speakers(chosen.validation)]).toEqual(['lucas']);
    expect(chosen.test.every((u) => /_theo_/.test(u.path))).toBe(true);
  });

  it('rejects a file name outside the pattern and unknown speakers, naming them', async () => {
    const dir = join(root, 'fsdd-bad');
    await makeFsdd(dir, ['a', 'b']);
    await expect(listFsdd(dir, { testSpeakers: ['zed'] })).rejects.toThrow(/zed/);
    await writeFile(join(dir, 'seven_a_0.wav'), wav(clips[0]!.samples));
    const error = await listFsdd(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpeechDataError);
    expect((error as SpeechDataError).code).toBe('GATED_SPEECH_BAD_FILE');
    expect((error as SpeechDataError).message).toMatch(/seven_a_0\.wav.*\{digit\}_\{speaker\}_\{index\}\.wav/);
  });
});

describe('listSpeechCommands', () => {
  async function makeCommands(dir: string): Promise<void> {
    let k = 0;
    for (const label of ['one', 'two', '_background_noise_']) {
      await mkdir(join(dir, label), { recursive: true });
      for (const speaker of ['0a7c2a8d', '1b4c9b89', '3f4a5b6c', '5e3b4d44', '9ff2d2f4']) {
        await writeFile(join(dir, label, `${speaker}_nohash_0.wav`), wav(clips[k++ % clips.length]!.samples, 16000));
      }
    }
  }

  it('honours validation_list.txt and testing_list.txt', async () => {
    const dir = join(root, 'commands-lists');
    await makeCommands(dir);
    await writeFile(join(dir, 'validation_list.txt'), 'one/0a7c2a8d_nohash_0.wav\ntwo/0a7c2a8d_nohash_0.wav\n');
    await writeFile(join(dir, 'testing_list.txt'), 'one/1b4c9b89_nohash_0.wav\r\ntwo/1b4c9b89_nohash_0.wav\r\nthree/x_nohash_0.wav\n');
    const corpus = await listSpeechCommands(dir);
    expect(corpus.labels).toEqual(['one', 'two']);
    expect(corpus.validation.map((u) => u.speaker)).toEqual(['0a7c2a8d', '0a7c2a8d']);
    expect(corpus.test.map((u) => u.speaker)).toEqual(['1b4c9b89', '1b4c9b89']);
    expect(corpus.train).toHaveLength(6);
    expect(corpus.train.map((u) => u.label)).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('without lists, keeps every speaker in one split by the dataset’s hash rule', async () => {
    const dir = join(root, 'commands-hash');
    await makeCommands(dir);
    const corpus = await listSpeechCommands(dir, { validationPercentage: 30, testingPercentage: 30 });
    const splitOf = new Map<string, string>();
    for (const split of ['train', 'validation', 'test'] as const) {
      for (const u of corpus[split]) {
        expect(splitOf.get(u.speaker) ?? split).toBe(split);
        splitOf.set(u.speaker, split);
      }
    }
    expect(splitOf.size).toBe(5);
    expect(new Set(splitOf.values()).size).toBeGreaterThan(1);
  });

  it('rejects a list entry missing on disk and a label without a folder', async () => {
    const dir = join(root, 'commands-broken');
    await makeCommands(dir);
    await writeFile(join(dir, 'testing_list.txt'), 'one/1b4c9b89_nohash_0.wav\none/gone_nohash_3.wav\n');
    await expect(listSpeechCommands(dir)).rejects.toThrow(/testing_list\.txt:2: .*one\/gone_nohash_3\.wav/);
    await expect(listSpeechCommands(dir, { labels: ['one', 'seven'] })).rejects.toThrow(/no folder for label "seven"/);
  });
});

describe('speechDatasets streams a corpus from disk', () => {
  it('batches features with lengths, fits CMVN on train only, caches features atomically by pipeline', async () => {
    const dir = join(root, 'fsdd-stream');
    await makeFsdd(dir, ['p1', 'p2', 'p3', 'p4']);
    const corpus = await listFsdd(dir, { testSpeakers: ['p4'], validationSpeakers: ['p3'] });
    const cacheDir = join(root, 'cache');
    const pipeline = { kind: 'mfcc', sampleRate: 16000, deltas: 1 } as const;
    const before = tf.memory().numTensors;
    const ds = await speechDatasets(corpus, { pipeline, cacheDir, batchSize: 8, seed: 2 });
    expect(ds.featureDim).toBe(26);
    expect(ds.train.size).toBe(5);
    expect(ds.cmvn?.count).toBeGreaterThan(0);
    let seen = 0;
    for await (const { x, y, lengths } of ds.train) {
      expect(x.shape[2]).toBe(26);
      expect(x.shape[0]).toBe(y.shape[0]);
      seen += y.shape[0];
      tf.dispose([x, y, lengths!]);
    }
    expect(seen).toBe(40);
    expect(tf.memory().numTensors).toBe(before);

    // The cache holds exactly what the pipeline computes (8 kHz clips resampled to 16 kHz here); clips of a
    // split are only computed when that split is read.
    const cache = new FeatureCache(cacheDir, pipeline);
    const u = corpus.train[0]!;
    const decoded = decodeWav(new Uint8Array(await readFile(u.path)));
    expect(await cache.get(u.path)).toEqual(extractFeatures(decoded.channelData[0]!, 8000, pipeline));
    expect(await cache.get(corpus.test[0]!.path)).toBeUndefined();
    for await (const { x, y, lengths } of ds.test) tf.dispose([x, y, lengths!]);
    expect(await cache.get(corpus.test[0]!.path)).toBeDefined();
    // Changing any option changes the key; the same options in another order do not.
    expect(new FeatureCache(cacheDir, { ...pipeline, deltas: 2 }).key).not.toBe(cache.key);
    expect(new FeatureCache(cacheDir, { deltas: 1, sampleRate: 16000, kind: 'mfcc' }).key).toBe(cache.key);
    // An edited clip (new mtime) is a miss and is recomputed.
    await utimes(u.path, new Date(), new Date(Date.now() + 5000));
    expect(await cache.get(u.path)).toBeUndefined();
    const recomputed = await cache.getOrCompute(u.path, () => extractFeatures(clips[0]!.samples, 8000, pipeline));
    expect(await cache.get(u.path)).toEqual(recomputed);
  });

  it('refuses saved CMVN statistics of another feature size', async () => {
    const dir = join(root, 'fsdd-cmvn');
    await makeFsdd(dir, ['p1', 'p2', 'p3']);
    const corpus = await listFsdd(dir, { testSpeakers: ['p3'], validationSpeakers: ['p2'] });
    const stats = { dim: 13, count: 1, mean: new Array(13).fill(0), std: new Array(13).fill(1) };
    await expect(speechDatasets(corpus, { pipeline: { kind: 'mfcc', sampleRate: 8000, deltas: 2 }, cmvn: stats })).rejects.toThrow(/cmvn\.dim.*39.*13/);
  });

  it('names the clip that cannot be decoded', async () => {
    const dir = join(root, 'fsdd-corrupt');
    await makeFsdd(dir, ['p1', 'p2', 'p3']);
    await writeFile(join(dir, '3_p1_0.wav'), new Uint8Array(100));
    const corpus = await listFsdd(dir, { testSpeakers: ['p3'], validationSpeakers: ['p2'] });
    await expect(speechDatasets(corpus, { pipeline: { kind: 'fbank', sampleRate: 8000 } })).rejects.toThrow(/3_p1_0\.wav: WAV is not a RIFF\/WAVE file/);
  });
});
