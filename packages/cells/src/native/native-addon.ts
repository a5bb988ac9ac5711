import { ArgumentError } from '@gated/tensor';
import { type KernelExports, dropKept } from '../fused/wasm-kernels.js';
import { NativeUnavailableError } from './errors.js';
import { type NodeProcess, nodeProcess, requireAddon } from './native-loader.js';

/** The instruction sets the native GEMM is built for; `base` is x86-64's SSE2. */
export type NativeIsa = 'avx512' | 'avx2' | 'base';
const ISAS: readonly NativeIsa[] = ['avx512', 'avx2', 'base'];

/** The addon's exports: the wasm module's functions (same names and arguments) plus its controls. */
export interface NativeExports extends KernelExports {
  /** A stream's packed weights and carried state, kept native-side (native/stream.c); freed when collected. */
  stream_new(kind: 0 | 1 | 2, batch: number, hidden: number, proj: number, flag: number): NativeStreamHandle;
  stream_layer(
    handle: NativeStreamHandle,
    inputSize: number,
    wih: Float32Array,
    whh: Float32Array,
    bih: Float32Array | null,
    bhh: Float32Array | null,
    peep: Float32Array | null,
    whr: Float32Array | null,
  ): void;
  /** Runs every layer over x [batch, steps, in], writing the top layer's outputs into `out` [batch, steps, out]. */
  stream_push(handle: NativeStreamHandle, steps: number, x: Float32Array, out: Float32Array): void;
  /** Copies the carried state out of (write false) or into (write true) h [L, batch, out] and c [L, batch, H]. */
  stream_state(handle: NativeStreamHandle, h: Float32Array, c: Float32Array | null, write: boolean): void;
  set_threads(n: number): number;
  threads(): number;
  isa(): NativeIsa;
  set_isa(name: string): NativeIsa | null;
}

/** An opaque handle to a native stream (a Node-API external). */
export interface NativeStreamHandle {
  readonly __nativeStream: never;
}

/** What the loaded native kernels are: where the binary came from, the instruction set and thread count in use. */
export interface NativeInfo {
  readonly path: string;
  readonly isa: NativeIsa;
  readonly threads: number;
}

let addon: NativeExports | undefined;
let addonPath = '';
let failure: string | undefined;

/** Where the prebuilt binary for this platform sits inside the package (`prebuilds/<platform>-<arch>/`). */
export function nativeBinaryPath(platform: string, arch: string): string {
  return decodeURIComponent(new URL(`../../prebuilds/${platform}-${arch}/gated-kernels.node`, import.meta.url).pathname);
}

/** A 2×3·3×2 product through the loaded binary, so a binary that loads but computes wrong is not used. */
function selfCheck(k: NativeExports): boolean {
  k.arena_reset();
  const pa = k.arena_alloc(24), pb = k.arena_alloc(24), pc = k.arena_alloc(16);
  if (pa === 0 || pb === 0 || pc === 0) return false;
  new Float32Array(k.memory.buffer, pa, 6).set([1, 2, 3, 4, 5, 6]);
  new Float32Array(k.memory.buffer, pb, 6).set([1, 0, 0, 1, 1, 1]);
  k.sgemm(2, 2, 3, pa, pb, pc);
  const c = new Float32Array(k.memory.buffer, pc, 4);
  return c[0] === 4 && c[1] === 5 && c[2] === 10 && c[3] === 11;
}

/** Loads and self-checks the addon at `path`; throws with the reason when it does not work. */
function loadBinary(proc: NodeProcess, path: string): NativeExports {
  const loaded = requireAddon(proc, path) as NativeExports;
  if (!selfCheck(loaded)) throw new Error('the binary loaded but failed its self-check');
  return loaded;
}

/**
 * Internal (tests, benchmarks): makes the addon at `path` the one the kernels run — e.g. a freshly rebuilt binary
 * next to the committed one. Returns the path that was active before.
 */
export function useNativeBinary(path: string): string {
  const proc = nodeProcess();
  if (!proc) throw new NativeUnavailableError('not running in Node.js (>= 20.16)');
  tryLoad();
  const previous = addonPath;
  try {
    addon = loadBinary(proc, path);
  } catch (error) {
    throw new NativeUnavailableError(`no working binary at ${path}`, error);
  }
  addonPath = path;
  failure = undefined;
  return previous;
}

function tryLoad(): NativeExports | undefined {
  if (addon || failure !== undefined) return addon;
  const proc = nodeProcess();
  if (!proc) {
    failure = 'not running in Node.js (>= 20.16)';
    return undefined;
  }
  if (proc.env['GATED_NATIVE'] === '0') {
    failure = 'disabled by GATED_NATIVE=0';
    return undefined;
  }
  const path = proc.env['GATED_NATIVE_PATH'] ?? nativeBinaryPath(proc.platform, proc.arch);
  try {
    addon = loadBinary(proc, path);
    addonPath = path;
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    failure = `no working binary for ${proc.platform}-${proc.arch} at ${path} (${message})`;
  }
  return addon;
}

/** Whether the native kernels are loaded and working in this process. */
export function nativeAvailable(): boolean {
  return tryLoad() !== undefined;
}

/** Why the native kernels are unavailable, or undefined when they load. */
export function nativeUnavailableReason(): string | undefined {
  return tryLoad() ? undefined : failure;
}

/** The loaded addon; throws {@link NativeUnavailableError} naming why when it cannot run. */
export function nativeKernel(): NativeExports {
  const k = tryLoad();
  if (k) return k;
  throw new NativeUnavailableError(failure ?? 'unknown');
}

/** The binary's path, instruction set and thread count; throws {@link NativeUnavailableError} when not loaded. */
export function nativeInfo(): NativeInfo {
  const k = nativeKernel();
  return { path: addonPath, isa: k.isa(), threads: k.threads() };
}

/**
 * Sets the native kernels' thread count (default: the CPUs this process may run on, or `GATED_NUM_THREADS`).
 * Results are deterministic for a fixed count. Returns the count in effect.
 *
 * @example
 * setNativeThreads(1); // one core, e.g. next to other processes
 */
export function setNativeThreads(threads: number): number {
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new ArgumentError('threads', 'an integer in 1..64', String(threads));
  return nativeKernel().set_threads(threads);
}

/**
 * Forces the native GEMM's instruction set (default: the best this CPU runs, chosen at load). For tests and
 * benchmarks; throws {@link NativeUnavailableError} when this CPU lacks it.
 */
export function setNativeIsa(isa: NativeIsa): NativeIsa {
  if (!ISAS.includes(isa)) throw new ArgumentError('isa', `one of ${ISAS.join(', ')}`, String(isa));
  const k = nativeKernel();
  const previous = k.isa();
  const got = k.set_isa(isa);
  if (got === null) throw new NativeUnavailableError(`this CPU does not run ${isa}`);
  // packed weights kept across calls have the previous instruction set's panel width
  if (got !== previous) dropKept(k);
  return got;
}
