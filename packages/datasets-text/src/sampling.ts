import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertInteger, assertNumberInRange, Rng, assertObject, checkOptions } from '@gated/tensor';
import type { Tokenizer } from './tokenizer.js';
import { GENERATE_SPEC, SAMPLE_SPEC, SAMPLING_SPEC } from './option-specs.js';

/** Logits of the next token: a [V] (or [1, V], [1, T, V]: the last V values are used) tensor or array. */
export type Logits = tf.Tensor | Float32Array | readonly number[];

/**
 * A language model seen from the sampler: feed it the next token ids (first the whole prompt, then one sampled
 * token at a time) and it returns the logits of the token that follows the last one fed. The model keeps its own
 * state between calls (see {@link recurrentStepper}). A returned tensor is disposed by the sampler.
 */
export type NextTokenLogits = (ids: Int32Array) => Logits | Promise<Logits>;

/** How the next token is drawn from the logits. */
export interface SamplingOptions {
  /** Logits are divided by this before the softmax; lower is more conservative, 0 always takes the most likely token. Default 1. */
  readonly temperature?: number;
  /** Sample only among the k most likely tokens; 0 for all. Default 0. */
  readonly topK?: number;
}

/** Options of {@link sampleTokens}. */
export interface SampleOptions extends SamplingOptions {
  /** Tokens to generate. */
  readonly maxTokens: number;
  /** Seed of the draws. Default 0. Ignored when `rng` is given. */
  readonly seed?: number;
  /** Draw from this generator instead (it advances). */
  readonly rng?: Rng;
  /** Stop after generating one of these ids (e.g. `vocab.eosId`). */
  readonly stopTokens?: readonly number[];
}

function logitsArray(logits: Logits): Float64Array {
  if (logits instanceof tf.Tensor) {
    const data = logits.dataSync();
    logits.dispose();
    return Float64Array.from(data.subarray(data.length - (logits.shape[logits.shape.length - 1] ?? data.length)));
  }
  return Float64Array.from(logits);
}

/**
 * Draws one token id from `logits` with temperature and top-k, using `rng` (one uniform draw per token).
 * Ties at the top-k boundary keep the lower ids.
 */
export function sampleFromLogits(logits: ArrayLike<number>, options: SamplingOptions, rng: Rng): number {
  checkOptions('sampleFromLogits', options, SAMPLING_SPEC);
  const temperature = options.temperature ?? 1;
  const topK = options.topK ?? 0;
  assertNumberInRange('temperature', temperature, 0, 1e6);
  assertInteger('topK', topK, 0);
  const V = logits.length;
  if (V === 0) throw new ArgumentError('logits', 'at least one value', 'none');
  let best = 0;
  for (let i = 1; i < V; i++) if (logits[i]! > logits[best]!) best = i;
  if (temperature === 0 || topK === 1) return best;
  let allowed: Uint8Array | null = null;
  if (topK > 0 && topK < V) {
    const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b);
    allowed = new Uint8Array(V);
    for (let k = 0; k < topK; k++) allowed[order[k]!] = 1;
  }
  // p_i ∝ exp((z_i − max z) / T) over the allowed tokens
  const max = logits[best]!;
  const p = new Float64Array(V);
  let sum = 0;
  for (let i = 0; i < V; i++) {
    if (allowed !== null && allowed[i] === 0) continue;
    const z = logits[i]!;
    if (Number.isNaN(z)) throw new ArgumentError(`logits[${i}]`, 'a number', 'NaN');
    p[i] = Math.exp((z - max) / temperature);
    sum += p[i]!;
  }
  let u = rng.uniform() * sum;
  for (let i = 0; i < V; i++) {
    u -= p[i]!;
    if (u < 0 && p[i]! > 0) return i;
  }
  return best; // rounding left u ≥ 0: the most likely token
}

/**
 * Generates up to `maxTokens` ids from a language model: feeds `prompt`, then repeatedly draws a token from the
 * model's logits ({@link sampleFromLogits}) and feeds it back. Same seed, same model → same tokens.
 */
export async function sampleTokens(step: NextTokenLogits, prompt: ArrayLike<number>, options: SampleOptions): Promise<Int32Array> {
  assertObject('sampleTokens options', options, 'an options object { maxTokens, … }');
  checkOptions('sampleTokens', options, SAMPLE_SPEC);
  assertInteger('maxTokens', options.maxTokens, 0);
  if (prompt.length === 0) throw new ArgumentError('prompt', 'at least one token id (use <bos> for an empty prompt)', 'none');
  const rng = options.rng ?? new Rng(options.seed ?? 0);
  const sampling = { ...(options.temperature === undefined ? {} : { temperature: options.temperature }), ...(options.topK === undefined ? {} : { topK: options.topK }) };
  const stop = new Set(options.stopTokens ?? []);
  const out: number[] = [];
  if (options.maxTokens === 0) return new Int32Array(0);
  let logits = logitsArray(await step(Int32Array.from(prompt)));
  for (;;) {
    const next = sampleFromLogits(logits, sampling, rng);
    out.push(next);
    if (out.length >= options.maxTokens || stop.has(next)) break;
    logits = logitsArray(await step(Int32Array.of(next)));
  }
  return Int32Array.from(out);
}

/** Options of {@link generateText}. */
export interface GenerateTextOptions extends Omit<SampleOptions, 'stopTokens'> {
  /** Text to continue. Default '' (start from `<bos>`, which the vocabulary must hold). */
  readonly prompt?: string;
  /** Stop at `<eos>` when the vocabulary holds it. Default true. */
  readonly stopAtEos?: boolean;
}

/** What {@link generateText} produced. */
export interface GeneratedText {
  readonly prompt: string;
  /** The generated continuation only. */
  readonly text: string;
  /** Token ids of the continuation. */
  readonly ids: Int32Array;
}

/**
 * Text generation from a trained language model (the seed document's character model demo): encode the prompt,
 * sample with temperature / top-k / seed, decode.
 *
 * @example
 * const model = recurrentStepper(sequenceModel);
 * const { text } = await generateText(model, lm.tokenizer, { prompt: 'Call me ', maxTokens: 200, temperature: 0.8, seed: 1 });
 */
export async function generateText(step: NextTokenLogits, tokenizer: Tokenizer, options: GenerateTextOptions): Promise<GeneratedText> {
  assertObject('generateText options', options, 'an options object { maxTokens, … }');
  checkOptions('generateText', options, GENERATE_SPEC);
  const prompt = options.prompt ?? '';
  const { bosId, eosId } = tokenizer.vocab;
  let ids = tokenizer.encode(prompt);
  if (ids.length === 0) {
    if (bosId < 0) throw new ArgumentError('prompt', 'a non-empty prompt (the vocabulary has no <bos>)', JSON.stringify(prompt));
    ids = Int32Array.of(bosId);
  }
  const stopTokens = (options.stopAtEos ?? true) && eosId >= 0 ? [eosId] : [];
  const { prompt: _p, stopAtEos: _s, ...sampling } = options;
  const out = await sampleTokens(step, ids, { ...sampling, stopTokens });
  return { prompt, text: tokenizer.decode(out), ids: out };
}

/** The part of a recurrent model {@link recurrentStepper} needs: PyTorch-like `forward` with an explicit state (as `SequenceModel` in @gated/cells). */
export interface RecurrentLanguageModel<S extends object> {
  forward(x: tf.Tensor2D, options: { initialState?: S; training?: boolean }): { output: tf.Tensor; state: S };
}

/** A {@link NextTokenLogits} that carries a recurrent state between calls. */
export interface RecurrentStepper extends NextTokenLogits {
  /** Forget the state (the next call starts a new sequence). */
  reset(): void;
  /** Release the state's tensors. */
  dispose(): void;
}

/**
 * Adapts a recurrent model with per-step logits (`output` [1, T, V]) and an explicit state into a
 * {@link NextTokenLogits}: each call runs the new ids from the current state and keeps the new state.
 */
export function recurrentStepper<S extends object>(model: RecurrentLanguageModel<S>): RecurrentStepper {
  let state: S | undefined;
  const release = (): void => {
    if (state !== undefined) tf.dispose(state as unknown as tf.TensorContainer);
    state = undefined;
  };
  const step = (ids: Int32Array): tf.Tensor => {
    const result = tf.tidy(() => {
      const x = tf.tensor2d(ids, [1, ids.length], 'int32');
      const { output, state: next } = model.forward(x, state === undefined ? { training: false } : { initialState: state, training: false });
      const V = output.shape.at(-1);
      if (V === undefined) throw new ArgumentError('model.forward output', 'logits [1, T, V]', 'a scalar');
      const T = output.shape[1];
      const last = output.rank === 3 && T !== undefined ? tf.slice(output, [0, T - 1, 0], [1, 1, V]) : output;
      return { logits: tf.reshape(last, [V]), next: next as unknown as tf.TensorContainer };
    }) as unknown as { logits: tf.Tensor; next: S };
    release();
    state = result.next;
    return result.logits;
  };
  return Object.assign(step, { reset: release, dispose: release });
}
