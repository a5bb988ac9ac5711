import { ArgumentError, type OptionSpec, assertInteger, assertNumberInRange, checkOptions, describeValue } from '@gated/tensor';
import { UnsupportedOptionError } from '../errors.js';
import { IMPLEMENTATIONS } from '../implementation.js';
import type { RecurrentKind } from '../recurrent-vocabulary.js';
import type { RecurrentLayerOptions, ResolvedRecurrentLayerOptions } from '../types.js';

/** Every option's default, in one place. */
export const LAYER_DEFAULTS = {
  numLayers: 1,
  bidirectional: false,
  batchFirst: true,
  dropout: 0,
  recurrentDropout: 0,
  seed: 0,
  bias: true,
  projSize: 0,
  peepholes: false,
  resetAfter: true,
  nonlinearity: 'tanh',
  implementation: 'auto',
} as const satisfies Omit<ResolvedRecurrentLayerOptions, 'inputSize' | 'hiddenSize'>;

/** The keys of {@link RecurrentLayerOptions} and what they hold. */
export const LAYER_SPEC = {
  inputSize: 'integer',
  hiddenSize: 'integer',
  numLayers: 'integer',
  bidirectional: 'boolean',
  batchFirst: 'boolean',
  dropout: 'number',
  recurrentDropout: 'number',
  seed: 'integer',
  bias: 'boolean',
  projSize: 'integer',
  peepholes: 'boolean',
  resetAfter: 'boolean',
  nonlinearity: ['tanh', 'relu'],
  implementation: IMPLEMENTATIONS,
} as const satisfies OptionSpec;

/**
 * Every key of {@link RecurrentLayerOptions} (and so of a layer's `config`), for packages that read a layer's
 * configuration and must refuse keys they do not know.
 */
export const LAYER_OPTION_KEYS = Object.keys(LAYER_SPEC) as readonly (keyof RecurrentLayerOptions)[];

/** The keys of {@link ForwardOptions} and what they hold. */
export const FORWARD_SPEC = { lengths: 'any', initialState: 'object', training: 'boolean' } as const satisfies OptionSpec;

const ONLY: Readonly<Record<string, RecurrentKind>> = {
  projSize: 'lstm',
  peepholes: 'lstm',
  resetAfter: 'gru',
  nonlinearity: 'rnn',
};

const NAMES: Readonly<Record<RecurrentKind, string>> = { lstm: 'LSTM', gru: 'GRU', rnn: 'SimpleRNN' };

/** Fills in defaults and validates; an option that means something only for another kind is rejected. */
export function resolveLayerOptions(kind: RecurrentKind, options: RecurrentLayerOptions): ResolvedRecurrentLayerOptions {
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`new ${NAMES[kind]} options`, 'an options object', describeValue(options));
  checkOptions(`new ${NAMES[kind]}`, options, LAYER_SPEC);
  const o = { ...LAYER_DEFAULTS, ...stripUndefined(options) } as ResolvedRecurrentLayerOptions;
  for (const [name, owner] of Object.entries(ONLY)) {
    const value = (options as unknown as Record<string, unknown>)[name];
    const fallback = (LAYER_DEFAULTS as Record<string, unknown>)[name];
    if (owner !== kind && value !== undefined && value !== fallback) {
      throw new UnsupportedOptionError(name, String(value), `${name} applies to ${NAMES[owner]} only, not ${NAMES[kind]}`);
    }
  }
  assertInteger('inputSize', o.inputSize, 1);
  assertInteger('hiddenSize', o.hiddenSize, 1);
  assertInteger('numLayers', o.numLayers, 1);
  assertInteger('seed', o.seed, 0, 2 ** 53);
  assertInteger('projSize', o.projSize, 0);
  if (o.projSize >= o.hiddenSize && o.projSize > 0) throw new ArgumentError('projSize', `less than hiddenSize ${o.hiddenSize}`, String(o.projSize));
  assertNumberInRange('dropout', o.dropout, 0, 1);
  assertNumberInRange('recurrentDropout', o.recurrentDropout, 0, 1);
  if (o.dropout >= 1) throw new ArgumentError('dropout', 'a number in [0, 1)', String(o.dropout));
  if (o.recurrentDropout >= 1) throw new ArgumentError('recurrentDropout', 'a number in [0, 1)', String(o.recurrentDropout));
  for (const b of ['bidirectional', 'batchFirst', 'bias', 'peepholes', 'resetAfter'] as const) {
    if (typeof o[b] !== 'boolean') throw new ArgumentError(b, 'a boolean', String(o[b]));
  }
  if (o.nonlinearity !== 'tanh' && o.nonlinearity !== 'relu') throw new ArgumentError('nonlinearity', "'tanh' or 'relu'", String(o.nonlinearity));
  if (!IMPLEMENTATIONS.includes(o.implementation)) {
    throw new ArgumentError('implementation', IMPLEMENTATIONS.map((i) => `'${i}'`).join(', '), String(o.implementation));
  }
  return Object.freeze(o);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
