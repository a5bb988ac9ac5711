import { createHash, join, readdir, readFile } from './platform/node.js';
import { ArgumentError, assertNumberInRange, Rng, assertString, checkOptions } from '@gated/tensor';
import { SpeechDataError } from './errors.js';

/** One clip of a corpus: where it is, its class, who speaks. */
export interface Utterance {
  readonly path: string;
  /** Index into {@link SpeechCorpus.labels}. */
  readonly label: number;
  readonly speaker: string;
}

/** A labelled speech corpus split three ways; the splits never share a speaker. */
export interface SpeechCorpus {
  readonly labels: readonly string[];
  readonly train: readonly Utterance[];
  readonly validation: readonly Utterance[];
  readonly test: readonly Utterance[];
}

/** Options of {@link listSpeechCommands}. */
export interface SpeechCommandsOptions {
  /** Only these label folders (in this order). Default: every folder except those starting with `_`. */
  readonly labels?: readonly string[];
  /** Without list files: percentage of speakers for validation, by Speech Commands' hash rule. Default 10. */
  readonly validationPercentage?: number;
  /** Without list files: percentage of speakers for test. Default 10. */
  readonly testingPercentage?: number;
}

const isWav = (name: string): boolean => name.toLowerCase().endsWith('.wav');

async function listDir(dir: string): Promise<import('node:fs').Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new SpeechDataError('GATED_SPEECH_LAYOUT', 'cannot read the corpus folder', { file: dir, expected: 'a readable folder', actual: String((error as Error).message) }, { cause: error });
  }
}

async function readList(root: string, name: string): Promise<Map<string, number> | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, name), 'utf8');
  } catch {
    return undefined;
  }
  const entries = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, i) => {
    const entry = line.trim();
    if (entry !== '') entries.set(entry, i + 1);
  });
  return entries;
}

// Speech Commands' which_set(): the speaker id (file name before "_nohash_") is hashed, so a speaker's clips
// stay in one split even as the corpus grows. MAX_NUM_WAVS_PER_CLASS = 2^27 − 1, as in the dataset's README.
function whichSet(fileName: string, validationPercentage: number, testingPercentage: number): 'train' | 'validation' | 'test' {
  const speaker = fileName.replace(/_nohash_.*$/, '');
  const hash = BigInt(`0x${createHash('sha1').update(speaker).digest('hex')}`);
  const maxWavs = 2n ** 27n - 1n;
  const percentage = Number(hash % (maxWavs + 1n)) * (100 / Number(maxWavs));
  if (percentage < validationPercentage) return 'validation';
  if (percentage < testingPercentage + validationPercentage) return 'test';
  return 'train';
}

/**
 * Lists a folder-per-label corpus such as Google Speech Commands (`<root>/<label>/<speaker>_nohash_<n>.wav`).
 * When `validation_list.txt` / `testing_list.txt` exist in `root` they decide the splits (their entries are
 * `label/file.wav`, and each must exist); otherwise Speech Commands' own hash rule assigns each speaker to a
 * split. Folders starting with `_` (like `_background_noise_`) are not labels.
 *
 * @example
 * const corpus = await listSpeechCommands('speech_commands_v0.02', { labels: ['yes', 'no', 'up', 'down'] });
 */
export async function listSpeechCommands(root: string, options: SpeechCommandsOptions = {}): Promise<SpeechCorpus> {
  checkOptions('listSpeechCommands', options, { labels: 'array', validationPercentage: 'number', testingPercentage: 'number' });
  assertString('listSpeechCommands root', root);
  const validationPercentage = options.validationPercentage ?? 10;
  const testingPercentage = options.testingPercentage ?? 10;
  assertNumberInRange('validationPercentage', validationPercentage, 0, 100);
  assertNumberInRange('testingPercentage', testingPercentage, 0, 100 - validationPercentage);
  const folders = (await listDir(root)).filter((d) => d.isDirectory() && !d.name.startsWith('_') && !d.name.startsWith('.')).map((d) => d.name).sort();
  const labels = options.labels ?? folders;
  for (const label of labels) {
    if (!folders.includes(label)) {
      throw new SpeechDataError('GATED_SPEECH_LAYOUT', `no folder for label "${label}"`, { file: join(root, label), expected: `one of ${folders.join(', ') || '(no folders)'}`, actual: 'no such folder' });
    }
  }
  const validationList = await readList(root, 'validation_list.txt');
  const testingList = await readList(root, 'testing_list.txt');
  const useLists = validationList !== undefined || testingList !== undefined;
  const splits = { train: [] as Utterance[], validation: [] as Utterance[], test: [] as Utterance[] };
  const seen = new Set<string>();
  for (const [label, name] of labels.entries()) {
    const files = (await listDir(join(root, name))).filter((d) => d.isFile() && isWav(d.name)).map((d) => d.name).sort();
    for (const file of files) {
      const relative = `${name}/${file}`;
      seen.add(relative);
      const split = useLists
        ? validationList?.has(relative) === true
          ? 'validation'
          : testingList?.has(relative) === true
            ? 'test'
            : 'train'
        : whichSet(file, validationPercentage, testingPercentage);
      splits[split].push({ path: join(root, name, file), label, speaker: file.replace(/_nohash_.*$/, '') });
    }
  }
  // A list entry for one of the chosen labels that is not on disk means a broken or mismatched corpus.
  for (const [listName, list] of [['validation_list.txt', validationList], ['testing_list.txt', testingList]] as const) {
    for (const [entry, row] of list ?? []) {
      const label = entry.split('/')[0] ?? '';
      if (labels.includes(label) && !seen.has(entry)) {
        throw new SpeechDataError('GATED_SPEECH_LAYOUT', 'the split list names a file that does not exist', { file: join(root, listName), row, expected: `${entry} under ${root}`, actual: 'no such file' });
      }
    }
  }
  return { labels: [...labels], ...splits };
}

/** Options of {@link listFsdd}. */
export interface FsddOptions {
  /** Speakers held out for test. Default: `testFraction` of the speakers, chosen by `seed`. */
  readonly testSpeakers?: readonly string[];
  /** Speakers held out for validation. Default: `validationFraction` of the remaining speakers. */
  readonly validationSpeakers?: readonly string[];
  /** Default 0.2 (at least one speaker). */
  readonly testFraction?: number;
  /** Default 0.15 (at least one speaker). */
  readonly validationFraction?: number;
  /** Seed of the speaker choice. Default 0. */
  readonly seed?: number;
}

const FSDD_NAME = /^([0-9])_([^_]+)_([0-9]+)\.wav$/i;

/**
 * Lists a Free Spoken Digit Dataset folder (`recordings/`, files `{digit}_{speaker}_{index}.wav`) with
 * speaker-disjoint splits, so test accuracy measures generalisation to unheard speakers. Labels are
 * '0' … '9'. A .wav file whose name does not follow the pattern is an error (it would otherwise be silently
 * unlabelled).
 *
 * @example
 * const corpus = await listFsdd('free-spoken-digit-dataset/recordings', { testSpeakers: ['theo'] });
 */
export async function listFsdd(root: string, options: FsddOptions = {}): Promise<SpeechCorpus> {
  checkOptions('listFsdd', options, { testSpeakers: 'array', validationSpeakers: 'array', testFraction: 'number', validationFraction: 'number', seed: 'integer' });
  assertString('listFsdd root', root);
  const files = (await listDir(root)).filter((d) => d.isFile() && isWav(d.name)).map((d) => d.name).sort();
  const all: Utterance[] = files.map((file) => {
    const match = FSDD_NAME.exec(file);
    if (match === null) {
      throw new SpeechDataError('GATED_SPEECH_BAD_FILE', 'file name is not in the FSDD pattern', { file: join(root, file), expected: '{digit}_{speaker}_{index}.wav', actual: file });
    }
    return { path: join(root, file), label: Number(match[1]), speaker: match[2]! };
  });
  const speakers = [...new Set(all.map((u) => u.speaker))].sort();
  const unknown = [...(options.testSpeakers ?? []), ...(options.validationSpeakers ?? [])].find((s) => !speakers.includes(s));
  if (unknown !== undefined) throw new ArgumentError('testSpeakers/validationSpeakers', `speakers among ${speakers.join(', ')}`, unknown);
  const testFraction = options.testFraction ?? 0.2;
  const validationFraction = options.validationFraction ?? 0.15;
  assertNumberInRange('testFraction', testFraction, 0, 1);
  assertNumberInRange('validationFraction', validationFraction, 0, 1 - testFraction);
  const order = new Rng(options.seed ?? 0).shuffle([...speakers]);
  const pick = (fraction: number, from: string[]): string[] => fraction === 0 ? [] : from.slice(0, Math.max(1, Math.round(fraction * speakers.length)));
  const test = options.testSpeakers ?? pick(testFraction, order);
  const validation = options.validationSpeakers ?? pick(validationFraction, order.filter((s) => !test.includes(s)));
  const overlap = test.find((s) => validation.includes(s));
  if (overlap !== undefined) throw new ArgumentError('validationSpeakers', 'speakers not in testSpeakers', overlap);
  if (speakers.length - new Set([...test, ...validation]).size < 1) {
    throw new SpeechDataError('GATED_SPEECH_EMPTY_SPLIT', 'no speaker left for training', { file: root, expected: 'at least one training speaker', actual: `${speakers.length} speakers, all held out` });
  }
  return {
    labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    train: all.filter((u) => !test.includes(u.speaker) && !validation.includes(u.speaker)),
    validation: all.filter((u) => validation.includes(u.speaker)),
    test: all.filter((u) => test.includes(u.speaker)),
  };
}
