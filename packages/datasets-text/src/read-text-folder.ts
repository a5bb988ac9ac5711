import { extname, join, readdir, readFile, relative, sep } from './platform/node.js';
import { EmptyCorpusError, TextRecordError } from './errors.js';
import { decodeUtf8 } from './internal/utf8.js';
import type { TextRecord } from './text-record.js';
import { assertString, checkOptions } from '@gated/tensor';
import { READ_TEXT_FOLDER_SPEC } from './option-specs.js';

/** Options of {@link readTextFolder}. */
export interface ReadTextFolderOptions {
  /** File name endings to read (case-insensitive). Default `['.txt']`. */
  readonly extensions?: readonly string[];
  /**
   * Take each file's label from the sub-folder it sits in (`pos/1.txt` → 'pos', as in the IMDB and 20 Newsgroups
   * layouts); files directly in the folder are then an error. Default false.
   */
  readonly labelFromFolder?: boolean;
}

async function listFiles(dir: string, extensions: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(path, extensions)));
    else if (e.isFile() && extensions.includes(extname(e.name).toLowerCase())) out.push(path);
  }
  return out;
}

/**
 * Streams the text files of a folder and its sub-folders, in sorted path order, one file in memory at a time;
 * each file is one {@link TextRecord}. Throws an EmptyCorpusError when no file matches and an InvalidUtf8Error
 * (file, line) for a file that is not UTF-8.
 *
 * @example
 * for await (const { text, label } of readTextFolder('aclImdb/train', { labelFromFolder: true })) …
 */
export async function* readTextFolder(dir: string, options: ReadTextFolderOptions = {}): AsyncGenerator<TextRecord> {
  checkOptions('readTextFolder', options, READ_TEXT_FOLDER_SPEC);
  assertString('readTextFolder dir', dir);
  const extensions = (options.extensions ?? ['.txt']).map((e) => e.toLowerCase());
  const files = await listFiles(dir, extensions);
  if (files.length === 0) throw new EmptyCorpusError({ file: dir }, `a file ending in ${extensions.join(' or ')}`);
  for (const file of files) {
    const text = decodeUtf8(await readFile(file), file);
    if (!options.labelFromFolder) {
      yield { text, file, line: 1 };
      continue;
    }
    const parts = relative(dir, file).split(sep);
    if (parts.length < 2) throw new TextRecordError({ file }, 'a file inside a class sub-folder (labelFromFolder)', 'a file at the top level');
    yield { text, label: parts[0]!, file, line: 1 };
  }
}
