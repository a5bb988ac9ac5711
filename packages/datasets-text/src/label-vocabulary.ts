import { ArgumentError } from '@gated/tensor';
import { EmptyCorpusError } from './errors.js';

/**
 * Class names and their ids. By default the names are sorted (code-point order), so the same labels always give
 * the same ids; pass `classes` to fix the order yourself (e.g. `['ham', 'spam']` so spam is the positive class 1).
 */
export class LabelVocabulary {
  readonly classNames: readonly string[];
  readonly #ids: Map<string, number>;

  constructor(classNames: readonly string[]) {
    if (classNames.length < 2) throw new ArgumentError('classNames', 'at least 2 classes', `${classNames.length}`);
    const ids = new Map<string, number>();
    classNames.forEach((c, i) => {
      if (ids.has(c)) throw new ArgumentError(`classNames[${i}]`, 'a class not listed before', JSON.stringify(c));
      ids.set(c, i);
    });
    this.classNames = Object.freeze([...classNames]);
    this.#ids = ids;
  }

  /** The classes found in `labels`, sorted, or exactly `classes` when given (every label must be one of them). */
  static fit(labels: Iterable<string>, classes?: readonly string[]): LabelVocabulary {
    const seen = new Set(labels);
    if (seen.size === 0) throw new EmptyCorpusError({ file: 'labels' }, 'at least one label');
    if (classes === undefined) return new LabelVocabulary([...seen].sort());
    const vocab = new LabelVocabulary(classes);
    for (const l of seen) vocab.id(l);
    return vocab;
  }

  get size(): number {
    return this.classNames.length;
  }

  /** The id of `label`; throws an ArgumentError for a label outside the classes. */
  id(label: string): number {
    const id = this.#ids.get(label);
    if (id === undefined) throw new ArgumentError('label', `one of ${this.classNames.map((c) => JSON.stringify(c)).join(', ')}`, JSON.stringify(label));
    return id;
  }

  /** Ids of many labels, as int32. */
  encode(labels: readonly string[]): Int32Array {
    return Int32Array.from(labels, (l) => this.id(l));
  }
}
