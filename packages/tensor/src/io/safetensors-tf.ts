import * as tf from '@tensorflow/tfjs-core';
import { assertObject, assertTensor } from '../check/argument-check.js';
import { ArgumentError } from '../check/errors.js';
import type { NamedTensor } from './safetensors.js';

/**
 * Converts stored tensors to tf tensors: floats become float32, integers int32 (I64 values must fit),
 * BOOL becomes bool. The caller owns (and disposes) the result.
 */
export function toTfTensors(tensors: Record<string, NamedTensor>): Record<string, tf.Tensor> {
  assertObject('toTfTensors tensors', tensors, 'a record of { dtype, shape, data }');
  const out: Record<string, tf.Tensor> = {};
  try {
    convertInto(out, tensors);
  } catch (error) {
    tf.dispose(Object.values(out)); // nothing converted before the bad tensor may leak
    throw error;
  }
  return out;
}

function convertInto(out: Record<string, tf.Tensor>, tensors: Record<string, NamedTensor>): void {
  for (const [name, t] of Object.entries(tensors)) {
    const shape = [...t.shape];
    switch (t.dtype) {
      case 'BOOL':
        out[name] = tf.tensor(t.data as Uint8Array, shape, 'bool');
        break;
      case 'I64': {
        const wide = t.data as BigInt64Array;
        const narrow = new Int32Array(wide.length);
        for (let i = 0; i < wide.length; i++) {
          const v = wide[i]!;
          if (v > 2147483647n || v < -2147483648n) throw new ArgumentError(`${name}[${i}]`, 'an I64 value within int32 range', String(v));
          narrow[i] = Number(v);
        }
        out[name] = tf.tensor(narrow, shape, 'int32');
        break;
      }
      case 'I32':
      case 'I16':
      case 'I8':
      case 'U8':
        out[name] = tf.tensor(Int32Array.from(t.data as Int32Array), shape, 'int32');
        break;
      default:
        out[name] = tf.tensor(t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as Float64Array), shape, 'float32');
    }
  }
}

/** Reads tf tensors back into storable form: float32 → F32, int32 → I32, bool → BOOL. */
export async function fromTfTensors(tensors: Record<string, tf.Tensor>): Promise<Record<string, NamedTensor>> {
  assertObject('fromTfTensors tensors', tensors, 'a record of tf.Tensors');
  const out: Record<string, NamedTensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    assertTensor(name, t);
    const data = await t.data();
    if (t.dtype === 'float32') out[name] = { dtype: 'F32', shape: t.shape, data: data as Float32Array };
    else if (t.dtype === 'int32') out[name] = { dtype: 'I32', shape: t.shape, data: data as Int32Array };
    else if (t.dtype === 'bool') out[name] = { dtype: 'BOOL', shape: t.shape, data: Uint8Array.from(data as Uint8Array) };
    else throw new ArgumentError(name, 'a float32, int32 or bool tensor', `dtype ${t.dtype}`);
  }
  return out;
}
