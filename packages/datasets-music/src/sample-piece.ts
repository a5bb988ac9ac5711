import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, Rng, assertInteger } from '@gated/tensor';
import { PIANO_KEYS, type PianoRoll } from './piano-roll.js';

/**
 * A next-step model as generation sees it: piano-roll frames x [1, t, 88] (float 0/1) to logits [1, t, 88], whose
 * last step scores the frame that follows. The caller disposes the output.
 */
export type NextStepLogits = (x: tf.Tensor3D) => tf.Tensor;

/** Options of {@link samplePiece}. */
export interface SamplePieceOptions {
  /** Frames the piece starts from (e.g. the first bars of a test chorale). */
  readonly primer: PianoRoll;
  /** Frames to generate after the primer. */
  readonly steps: number;
  readonly seed: number;
  readonly predict: NextStepLogits;
  /** Name of the generated piece; default `<primer>+sampled`. */
  readonly name?: string;
}

/**
 * Samples a continuation of a primer: at each step the model scores the next frame from everything so far and
 * every key is drawn independently, key k on with probability σ(z_k) — the factorised Bernoulli output the NLL
 * metric scores. Deterministic for a seed. Returns primer + generated frames.
 *
 * @example
 * const piece = await samplePiece({ primer, steps: 32, seed: 0, predict: (x) => model.forward(x).output });
 * await writeMidiFile('sampled.mid', piece);
 */
export async function samplePiece(options: SamplePieceOptions): Promise<PianoRoll> {
  const { primer, steps, seed, predict } = options;
  assertInteger('steps', steps, 1);
  assertInteger('seed', seed, 0);
  if (primer.steps < 1) throw new ArgumentError('primer', 'a piece of at least one step', `${primer.steps} steps`);
  const rng = new Rng(seed).fork('sample-piece');
  const total = primer.steps + steps;
  const keys = new Uint8Array(total * PIANO_KEYS);
  keys.set(primer.keys.subarray(0, primer.steps * PIANO_KEYS));
  for (let t = primer.steps; t < total; t++) {
    const probs = tf.tidy(() => {
      const x = tf.tensor3d(Float32Array.from(keys.subarray(0, t * PIANO_KEYS)), [1, t, PIANO_KEYS]);
      const logits = predict(x);
      return tf.sigmoid(tf.reshape(tf.slice(logits, [0, t - 1, 0], [1, 1, PIANO_KEYS]), [PIANO_KEYS]));
    });
    const p = await probs.data();
    probs.dispose();
    for (let k = 0; k < PIANO_KEYS; k++) keys[t * PIANO_KEYS + k] = rng.uniform() < p[k]! ? 1 : 0;
  }
  return { name: options.name ?? `${primer.name}+sampled`, steps: total, keys };
}
