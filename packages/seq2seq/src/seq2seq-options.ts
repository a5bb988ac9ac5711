import { ArgumentError, assertInteger } from '@gated/tensor';
import type { AttentionKind } from './attention.js';
import { checkBoolean, checkEnum, checkOptionKeys } from './options.js';

/** Ids every target vocabulary reserves: 0 padding, 1 begin-of-sequence, 2 end-of-sequence. Sources reserve 0 for padding. */
export const TARGET_SPECIALS = { pad: 0, bos: 1, eos: 2 } as const;

/** Options of {@link Seq2Seq}. */
export interface Seq2SeqOptions {
  /** Recurrent cell of encoder and decoder. */
  readonly kind: 'lstm' | 'gru';
  /** Source ids 0..sourceVocabSize−1; 0 is padding. */
  readonly sourceVocabSize: number;
  /** Target ids 0..targetVocabSize−1; 0, 1, 2 are padding, BOS and EOS ({@link TARGET_SPECIALS}). */
  readonly targetVocabSize: number;
  /** Width of the source and target embeddings; default 64. */
  readonly embeddingDim?: number;
  /** Decoder state size, and encoder output size (hiddenSize / 2 per direction when bidirectional). */
  readonly hiddenSize: number;
  /** Layers of encoder and of decoder (the decoder starts from the encoder's final states); default 1. */
  readonly numLayers?: number;
  /** Bidirectional encoder; default true (hiddenSize must then be even). */
  readonly bidirectional?: boolean;
  /** Score function, or `none` for the encoder–decoder baseline without attention; default `general`. */
  readonly attention?: AttentionKind | 'none';
  /** Width of the additive score's hidden layer; default hiddenSize. */
  readonly attentionSize?: number;
  /** Feed h̃_{t−1} into the decoder input (Luong et al. 2015); default true with attention, false without. */
  readonly inputFeeding?: boolean;
  /** Seed of every initialisation; default 0. */
  readonly seed?: number;
  /**
   * What runs the decoder's cells. `auto` (default): @gated/cells' compiled fused kernels (native or wasm)
   * whenever the encoder's sequence layer ran them (its `implementation: 'auto'` choice), else tfjs ops per step;
   * in teacher-forced training without input feeding the decoder's recurrence then runs over all target steps
   * in one fused call per layer. `step`: tfjs ops per step everywhere (any backend; the path before the fused
   * decoder, kept as the reference).
   */
  readonly decoderImplementation?: DecoderImplementation;
}

/** What runs the decoder (see {@link Seq2SeqOptions.decoderImplementation}). */
export type DecoderImplementation = 'auto' | 'step';

/** {@link Seq2SeqOptions} with every default filled in. */
export type ResolvedSeq2SeqOptions = Required<Seq2SeqOptions>;

/** Every option's default, in one place (`attentionSize` = hiddenSize and `inputFeeding` = attention ≠ none). */
export const SEQ2SEQ_DEFAULTS = {
  embeddingDim: 64,
  numLayers: 1,
  bidirectional: true,
  attention: 'general',
  seed: 0,
  decoderImplementation: 'auto',
} as const satisfies Partial<ResolvedSeq2SeqOptions>;

const KEYS = [
  'kind',
  'sourceVocabSize',
  'targetVocabSize',
  'embeddingDim',
  'hiddenSize',
  'numLayers',
  'bidirectional',
  'attention',
  'attentionSize',
  'inputFeeding',
  'seed',
  'decoderImplementation',
] as const satisfies readonly (keyof Seq2SeqOptions)[];

/** Fills in defaults and validates; unknown keys are rejected. */
export function resolveSeq2SeqOptions(options: Seq2SeqOptions): ResolvedSeq2SeqOptions {
  checkOptionKeys('Seq2Seq options', options, KEYS);
  const kind = checkEnum('kind', options.kind, ['lstm', 'gru'] as const);
  assertInteger('sourceVocabSize', options.sourceVocabSize, 2);
  assertInteger('targetVocabSize', options.targetVocabSize, 4);
  assertInteger('hiddenSize', options.hiddenSize, 1);
  const attention = checkEnum('attention', options.attention ?? SEQ2SEQ_DEFAULTS.attention, ['additive', 'dot', 'general', 'none'] as const);
  const o: ResolvedSeq2SeqOptions = {
    kind,
    sourceVocabSize: options.sourceVocabSize,
    targetVocabSize: options.targetVocabSize,
    embeddingDim: options.embeddingDim ?? SEQ2SEQ_DEFAULTS.embeddingDim,
    hiddenSize: options.hiddenSize,
    numLayers: options.numLayers ?? SEQ2SEQ_DEFAULTS.numLayers,
    bidirectional: checkBoolean('bidirectional', options.bidirectional ?? SEQ2SEQ_DEFAULTS.bidirectional),
    attention,
    attentionSize: options.attentionSize ?? options.hiddenSize,
    inputFeeding: checkBoolean('inputFeeding', options.inputFeeding ?? attention !== 'none'),
    seed: options.seed ?? SEQ2SEQ_DEFAULTS.seed,
    decoderImplementation: checkEnum('decoderImplementation', options.decoderImplementation ?? SEQ2SEQ_DEFAULTS.decoderImplementation, ['auto', 'step'] as const),
  };
  assertInteger('embeddingDim', o.embeddingDim, 1);
  assertInteger('numLayers', o.numLayers, 1);
  assertInteger('attentionSize', o.attentionSize, 1);
  assertInteger('seed', o.seed, 0, 2 ** 31);
  if (o.bidirectional && o.hiddenSize % 2 !== 0) throw new ArgumentError('hiddenSize', 'an even number with a bidirectional encoder (hiddenSize / 2 per direction)', String(o.hiddenSize));
  if (o.inputFeeding && attention === 'none') throw new ArgumentError('inputFeeding', "false with attention 'none' (there is no attentional vector to feed)", 'true');
  return Object.freeze(o);
}
