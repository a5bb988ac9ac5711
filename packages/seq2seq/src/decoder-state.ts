import { tidy } from './tidy.js';
import * as tf from '@tensorflow/tfjs-core';
import type { RecurrentState } from '@gated/cells';
import type { AttentionMemory } from './attention.js';

/** The decoder's state between steps: each layer's { h, c? } [B, H] and, with input feeding, h̃_{t−1} [B, H]. */
export interface DecoderState {
  readonly layers: readonly RecurrentState[];
  /** The previous attentional vector h̃_{t−1} fed back into the input; null without input feeding. */
  readonly feed: tf.Tensor2D | null;
}

/** Every tensor of a decoder state. */
export function stateTensors(state: DecoderState): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  for (const s of state.layers) {
    out.push(s.h);
    if (s.c) out.push(s.c);
  }
  if (state.feed) out.push(state.feed);
  return out;
}

/** Frees a decoder state. */
export function disposeState(state: DecoderState): void {
  for (const t of stateTensors(state)) t.dispose();
}

/** The rows `indices` of every tensor of a state (beam reordering). */
export function selectStateRows(state: DecoderState, indices: readonly number[]): DecoderState {
  return tidy(() => {
    const idx = tf.tensor1d(indices as number[], 'int32');
    const pick = <T extends tf.Tensor>(t: T): T => tf.gather(t, idx) as T;
    return {
      layers: state.layers.map((s) => (s.c ? { h: pick(s.h), c: pick(s.c) } : { h: pick(s.h) })),
      feed: state.feed ? pick(state.feed) : null,
    };
  });
}

/** The rows `indices` of an attention memory (a source repeated for each beam). */
export function selectMemoryRows(memory: AttentionMemory, indices: readonly number[]): AttentionMemory {
  return tidy(() => {
    const idx = tf.tensor1d(indices as number[], 'int32');
    return {
      keys: tf.gather(memory.keys, idx) as tf.Tensor3D,
      projected: tf.gather(memory.projected, idx) as tf.Tensor3D,
      mask: memory.mask ? (tf.gather(memory.mask, idx) as tf.Tensor2D) : null,
    };
  });
}
