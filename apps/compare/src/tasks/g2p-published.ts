/** How a published figure was checked: against a listing that quotes the paper, or not at all. */
export type PublishedStatus = 'secondary-source' | 'unverified';

/** A published CMUdict G2P result (percentages), with where it comes from and how far it was checked. */
export interface PublishedG2PResult {
  readonly system: string;
  readonly citation: string;
  /** Whether the system attends (the comparison's two tasks). */
  readonly attention: boolean;
  readonly per: number;
  readonly wer: number;
  readonly status: PublishedStatus;
  /** Where the figure was read, and what was not checked. */
  readonly note: string;
}

const SECONDARY = 'https://github.com/lifefeel/Grapheme-to-Phoneme (a reading list quoting the papers’ CMUdict figures); the papers’ own tables could not be opened to confirm them';

/**
 * Published results on CMUdict (the Bisani & Ney 2008 split of about 106,837 training and 12,000 test words, stress
 * stripped). None of them could be checked against the papers themselves: two figures are confirmed by a
 * secondary source, the encoder–decoder baseline not at all.
 */
export const G2P_PUBLISHED: readonly PublishedG2PResult[] = [
  {
    system: 'encoder–decoder LSTM, no attention',
    citation: 'Yao & Zweig 2015, "Sequence-to-Sequence Neural Net Models for Grapheme-to-Phoneme Conversion", Interspeech (arXiv:1506.00196)',
    attention: false,
    per: 7.63,
    wer: 28.61,
    status: 'unverified',
    note: 'not found in any reachable source; kept as the order of magnitude of a plain encoder–decoder',
  },
  {
    system: 'bidirectional LSTM on aligned input (best of the paper)',
    citation: 'Yao & Zweig 2015, "Sequence-to-Sequence Neural Net Models for Grapheme-to-Phoneme Conversion", Interspeech (arXiv:1506.00196)',
    attention: false,
    per: 5.45,
    wer: 23.55,
    status: 'secondary-source',
    note: SECONDARY,
  },
  {
    system: 'attention encoder–decoder, global attention, ensemble (best of the paper)',
    citation: 'Toshniwal & Livescu 2016, "Jointly Learning to Align and Convert Graphemes to Phonemes with Neural Attention Models", SLT (arXiv:1610.06540)',
    attention: true,
    per: 4.69,
    wer: 20.24,
    status: 'secondary-source',
    note: SECONDARY,
  },
];
