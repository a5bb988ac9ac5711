import { access, join } from './platform/node.js';
import * as tf from '@tensorflow/tfjs-core';
import { type NamedTensor, fromTfTensors, readSafetensorsFile, toTfTensors, writeSafetensorsFile } from '@gated/tensor';
import { CheckpointError } from './errors.js';

/** File name of the checkpoint inside `checkpointDir`. */
export const CHECKPOINT_FILE = 'checkpoint.safetensors';
const FORMAT = 'gated-trainer-checkpoint';
const VERSION = '1';

/** The checkpoint path inside a checkpoint folder. */
export const checkpointPath = (dir: string): string => join(dir, CHECKPOINT_FILE);

/**
 * A checkpoint's tensor groups. `model` holds the weights by parameter name; `optimizer` the slot tensors;
 * `state` the recurrent state carried between batches (stateful training); `best` the early-stopping best
 * weights. `meta` is JSON (step, epoch, RNG states, optimizer step count, run set-up, history).
 */
export interface CheckpointContents<M> {
  readonly model: Record<string, tf.Tensor>;
  readonly optimizer: Record<string, tf.Tensor>;
  readonly state: Record<string, tf.Tensor>;
  readonly best: Record<string, tf.Tensor>;
  readonly meta: M;
}

const GROUPS = ['model', 'optimizer', 'state', 'best'] as const;

/**
 * Writes everything into one safetensors file, atomically (temp + rename): a crash mid-write leaves the
 * previous checkpoint intact. The weights appear as `model.<name>`, so the file also loads as a weights file.
 */
export async function saveCheckpoint<M>(file: string, contents: CheckpointContents<M>): Promise<void> {
  const named: Record<string, NamedTensor> = {};
  for (const group of GROUPS) {
    const stored = await fromTfTensors(contents[group]);
    for (const [key, value] of Object.entries(stored)) named[`${group}.${key}`] = value;
  }
  await writeSafetensorsFile(file, named, { format: FORMAT, version: VERSION, trainer: JSON.stringify(contents.meta) });
}

/** True when a checkpoint file exists. */
export async function checkpointExists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint}. A missing, truncated or foreign file is a
 * {@link CheckpointError}. The caller disposes the returned tensors.
 */
export async function loadCheckpoint<M>(file: string): Promise<CheckpointContents<M>> {
  if (!(await checkpointExists(file))) throw new CheckpointError(file, 'not-found', `a checkpoint file (${CHECKPOINT_FILE})`, 'no such file');
  let parsed: Awaited<ReturnType<typeof readSafetensorsFile>>;
  try {
    parsed = await readSafetensorsFile(file);
  } catch (error) {
    throw new CheckpointError(file, 'corrupt', 'a readable safetensors file', (error as Error).message, error);
  }
  const { metadata } = parsed;
  if (metadata['format'] !== FORMAT) throw new CheckpointError(file, 'corrupt', `metadata format "${FORMAT}"`, JSON.stringify(metadata['format'] ?? null));
  if (metadata['version'] !== VERSION) throw new CheckpointError(file, 'mismatch', `checkpoint version ${VERSION}`, JSON.stringify(metadata['version'] ?? null));
  let meta: M;
  try {
    meta = JSON.parse(metadata['trainer'] ?? '') as M;
  } catch (error) {
    throw new CheckpointError(file, 'corrupt', 'JSON trainer metadata', (error as Error).message, error);
  }
  const groups = { model: {}, optimizer: {}, state: {}, best: {} } as Record<(typeof GROUPS)[number], Record<string, NamedTensor>>;
  for (const [key, value] of Object.entries(parsed.tensors)) {
    const dot = key.indexOf('.');
    const group = key.slice(0, dot) as (typeof GROUPS)[number];
    if (!(GROUPS as readonly string[]).includes(group)) throw new CheckpointError(file, 'corrupt', `tensor names starting ${GROUPS.join('./')}.`, `"${key}"`);
    groups[group][key.slice(dot + 1)] = value;
  }
  const converted: Partial<Record<(typeof GROUPS)[number], Record<string, tf.Tensor>>> = {};
  try {
    for (const group of GROUPS) converted[group] = toTfTensors(groups[group]);
  } catch (error) {
    // An I64 beyond int32 or a shape that does not fit: the file's fault, and nothing converted so far may leak.
    for (const group of GROUPS) tf.dispose(Object.values(converted[group] ?? {}));
    throw new CheckpointError(file, 'corrupt', 'tensors that convert to tf tensors', (error as Error).message, error);
  }
  return { model: converted.model!, optimizer: converted.optimizer!, state: converted.state!, best: converted.best!, meta };
}

/** Disposes every tensor of loaded contents. */
export function disposeContents(contents: CheckpointContents<unknown>): void {
  for (const group of GROUPS) tf.dispose(Object.values(contents[group]));
}
