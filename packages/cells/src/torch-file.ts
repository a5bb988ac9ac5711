import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, assertObject, assertString, describeValue, readSafetensorsFile, writeSafetensorsFile } from '@gated/tensor';
import type { TorchStateDictInput } from './types.js';

/** Anything with PyTorch-named weights: a layer or a {@link SequenceModel}. */
export interface TorchStateDictOwner {
  torchStateDict(): Record<string, tf.Tensor>;
  loadTorchStateDict(record: TorchStateDictInput): void;
}

/**
 * Writes `module`'s weights to a `.safetensors` file (atomically) under PyTorch's names, with the metadata
 * `{ format: 'pt' }` that `safetensors.torch.save_file` writes, so `module.load_state_dict(load_file(path))`
 * loads it in PyTorch.
 *
 * @example
 * await saveTorchStateDict('lstm.safetensors', lstm);
 */
export async function saveTorchStateDict(path: string, module: TorchStateDictOwner, metadata: Record<string, string> = {}): Promise<void> {
  assertString('saveTorchStateDict path', path);
  assertOwner('saveTorchStateDict module', module);
  assertObject('saveTorchStateDict metadata', metadata, 'a record of strings');
  const sd = module.torchStateDict();
  try {
    const named: Record<string, { dtype: 'F32'; shape: number[]; data: Float32Array }> = {};
    for (const [name, t] of Object.entries(sd)) named[name] = { dtype: 'F32', shape: t.shape, data: (await t.data()) as Float32Array };
    await writeSafetensorsFile(path, named, { format: 'pt', ...metadata });
  } finally {
    tf.dispose(Object.values(sd));
  }
}

/**
 * Loads a `.safetensors` file written by PyTorch (`safetensors.torch.save_file(m.state_dict(), path)`) or by
 * {@link saveTorchStateDict} into `module`. Float tensors of any width are accepted; keys and shapes must
 * match exactly (see {@link StateDictError}).
 */
export async function loadTorchStateDictFile(path: string, module: TorchStateDictOwner): Promise<void> {
  assertString('loadTorchStateDictFile path', path);
  assertOwner('loadTorchStateDictFile module', module);
  const { tensors } = await readSafetensorsFile(path);
  const record: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype !== 'F32' && t.dtype !== 'F64' && t.dtype !== 'F16' && t.dtype !== 'BF16') {
      throw new ArgumentError(`${path}: tensor "${name}"`, 'a floating-point weight (F32, F64, F16 or BF16)', t.dtype);
    }
    record[name] = { shape: t.shape, data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as Float64Array) };
  }
  module.loadTorchStateDict(record);
}

function assertOwner(argument: string, module: unknown): asserts module is TorchStateDictOwner {
  const m = module as Partial<TorchStateDictOwner> | null;
  if (typeof m !== 'object' || m === null || typeof m.torchStateDict !== 'function' || typeof m.loadTorchStateDict !== 'function') {
    throw new ArgumentError(argument, 'a layer or model with torchStateDict() and loadTorchStateDict()', describeValue(module));
  }
}
