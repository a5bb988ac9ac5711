import { createHash, join, mkdir, pid, readFile, rename, resolve, rm, stat, writeFile } from './platform/node.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { type FeaturePipeline, checkPipelineKeys } from './feature-pipeline.js';
import { assertString } from '@gated/tensor';

// Bump when the feature code changes its output, so stale caches are not reused.
const CACHE_FORMAT = 1;
const MAGIC = 0x46434447; // 'GDCF' little-endian

// JSON with sorted keys, so option order does not change the cache key.
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Features cached on disk, one file per clip, under `<dir>/<pipeline key>/`. The pipeline key hashes the
 * whole {@link FeaturePipeline} (and the cache format), so changing any feature option uses a fresh folder;
 * an entry's name hashes the clip's absolute path, size and modification time, so an edited clip is
 * recomputed. Entries are written atomically (temp file + rename), so concurrent writers and crashes never
 * leave a half-written entry; an unreadable entry counts as a miss.
 *
 * @example
 * const cache = new FeatureCache('.cache/features', pipeline);
 * const feats = await cache.getOrCompute('a/b.wav', async () => extractFeatures(...));
 */
export class FeatureCache {
  /** Folder of this pipeline's entries. */
  readonly dir: string;
  /** Hex key of the pipeline (first 16 hex digits of a SHA-256). */
  readonly key: string;
  readonly #pipeline: FeaturePipeline;
  #ready: Promise<void> | undefined;

  constructor(root: string, pipeline: FeaturePipeline) {
    assertString('FeatureCache root', root);
    checkPipelineKeys('FeatureCache pipeline', pipeline);
    this.#pipeline = pipeline;
    this.key = sha256(stableStringify({ format: CACHE_FORMAT, pipeline })).slice(0, 16);
    this.dir = join(resolve(root), this.key);
  }

  async #init(): Promise<void> {
    this.#ready ??= (async () => {
      await mkdir(this.dir, { recursive: true });
      await writeAtomic(join(this.dir, 'pipeline.json'), `${JSON.stringify({ format: CACHE_FORMAT, pipeline: this.#pipeline }, null, 2)}\n`);
    })();
    return this.#ready;
  }

  async #entry(file: string): Promise<string> {
    const absolute = resolve(file);
    const info = await stat(absolute);
    return join(this.dir, `${sha256(`${absolute}\0${info.size}\0${info.mtimeMs}`).slice(0, 32)}.feat`);
  }

  /** The cached features of `file`, or undefined on a miss. */
  async get(file: string): Promise<FeatureMatrix | undefined> {
    const entry = await this.#entry(file);
    let bytes: Buffer;
    try {
      bytes = await readFile(entry);
    } catch {
      return undefined;
    }
    if (bytes.length < 12) return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const frames = view.getUint32(4, true);
    const bins = view.getUint32(8, true);
    if (view.getUint32(0, true) !== MAGIC || bytes.length !== 12 + 4 * frames * bins) return undefined;
    const data = new Float32Array(frames * bins);
    new Uint8Array(data.buffer).set(bytes.subarray(12));
    return { data, shape: [frames, bins] };
  }

  /** Stores the features of `file`. */
  async set(file: string, features: FeatureMatrix): Promise<void> {
    await this.#init();
    const [frames, bins] = features.shape;
    const bytes = new Uint8Array(12 + 4 * frames * bins);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, frames, true);
    view.setUint32(8, bins, true);
    bytes.set(new Uint8Array(features.data.buffer, features.data.byteOffset, features.data.byteLength), 12);
    await writeAtomic(await this.#entry(file), bytes);
  }

  /** Cached features of `file`, computing and storing them on a miss. */
  async getOrCompute(file: string, compute: () => Promise<FeatureMatrix> | FeatureMatrix): Promise<FeatureMatrix> {
    const hit = await this.get(file);
    if (hit !== undefined) return hit;
    const features = await compute();
    await this.set(file, features);
    return features;
  }
}

let counter = 0;

/**
 * Writes through a uniquely named temp file in the same folder, then renames it into place. Unlike
 * @gated/tensor's writeFileAtomic this does not fsync: a cache of thousands of clips would pay one disk flush
 * per clip, and an entry cut short by a crash fails the size check in `get` and is simply recomputed.
 */
async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${pid()}.${counter++}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
