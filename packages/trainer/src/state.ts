import * as tf from '@tensorflow/tfjs-core';

/** The tensors inside a model's opaque recurrent state (e.g. `{ hidden, cell }`), by key. */
export function stateTensors(state: unknown): Record<string, tf.Tensor> {
  if (state === undefined || state === null) return {};
  if (state instanceof tf.Tensor) return { state };
  const out: Record<string, tf.Tensor> = {};
  for (const [key, value] of Object.entries(state as Record<string, unknown>)) {
    if (value instanceof tf.Tensor) out[key] = value;
  }
  return out;
}

/** Keeps every tensor of a state alive past the enclosing tidy/gradient scope. */
export function keepState<S>(state: S): S {
  for (const t of Object.values(stateTensors(state))) tf.keep(t);
  return state;
}

/** Disposes every tensor of a state. */
export function disposeState(state: unknown): void {
  tf.dispose(Object.values(stateTensors(state)));
}
