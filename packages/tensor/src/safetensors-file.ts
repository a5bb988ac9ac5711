import { readFile } from './platform/node.js';
import { assertString } from './argument-check.js';
import { writeFileAtomic } from './atomic-write.js';
import { type NamedTensor, type Safetensors, SafetensorsError, readSafetensors, writeSafetensors } from './safetensors.js';

/** Reads a `.safetensors` file; format errors name the file. */
export async function readSafetensorsFile(path: string): Promise<Safetensors> {
  assertString('readSafetensorsFile path', path);
  const bytes = await readFile(path);
  try {
    return readSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    if (error instanceof SafetensorsError) {
      const { expected, actual, tensor } = error.details;
      const what = error.message.replace(/: expected [\s\S]*$/, '').replace(/^tensor "[^"]*": /, '');
      throw new SafetensorsError(error.code, what, { file: path, expected, actual, ...(tensor === undefined ? {} : { tensor }) });
    }
    throw error;
  }
}

/** Writes a `.safetensors` file atomically (temp file + rename), so a crash never leaves half a file. */
export async function writeSafetensorsFile(
  path: string,
  tensors: Record<string, NamedTensor>,
  metadata?: Record<string, string>,
): Promise<void> {
  assertString('writeSafetensorsFile path', path);
  await writeFileAtomic(path, writeSafetensors(tensors, metadata));
}
