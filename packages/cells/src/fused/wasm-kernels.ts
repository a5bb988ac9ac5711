import { FusedUnavailableError } from './errors.js';
import { KERNEL_WASM_BASE64 } from './wasm-binary.js';

// The slice of the WebAssembly JS API used here (the repo's TypeScript libs do not declare it).
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ readonly exports: unknown }>;
}
const wasmApi = (): WasmApi => {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) throw new FusedUnavailableError('this runtime has no WebAssembly');
  return api;
};

/** The functions the wasm module exports (pointers are byte offsets into its memory, 0 means absent). */
export interface KernelExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  arena_reset(): void;
  arena_alloc(bytes: number): number;
  arena_keep(): number;
  arena_drop(): void;
  rows_packed_bytes(k: number, n: number): number;
  pack_rows(k: number, n: number, src: number, dst: number): void;
  sgemm(m: number, n: number, k: number, a: number, b: number, c: number): void;
  lstm_forward(...args: number[]): void;
  lstm_backward(...args: number[]): void;
  gru_saved_width(hiddenSize: number, resetAfter: number): number;
  gru_forward(...args: number[]): void;
  gru_backward(...args: number[]): void;
  rnn_forward(...args: number[]): void;
  rnn_backward(...args: number[]): void;
  transpose01(src: number, dst: number, a: number, b: number, f: number): void;
}

let instance: KernelExports | undefined;
let failure: unknown;

/** The kernel's wasm bytes, decoded from the embedded base64. */
export function kernelBytes(): Uint8Array {
  const text = atob(KERNEL_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function instantiate(module: object): KernelExports {
  const Instance = wasmApi().Instance;
  return new Instance(module, {}).exports as KernelExports;
}

/**
 * Compiles the fused kernels without blocking (`WebAssembly.compile`) and resolves to whether they can run. A
 * page's main thread needs this before the first fused call, since browsers refuse to compile a module this size
 * synchronously there; in a Web Worker or Node the kernels also load on first use.
 *
 * @example
 * await loadFusedKernel(); // then layers with implementation 'fused' or 'auto' use the wasm kernels
 */
export async function loadFusedKernel(): Promise<boolean> {
  if (instance) return true;
  try {
    const api = wasmApi();
    instance = (await api.instantiate(await api.compile(kernelBytes()), {})).exports as KernelExports;
    failure = undefined;
    return true;
  } catch (error) {
    failure = error;
    return false;
  }
}

// A window's main thread (not a worker, not Node) refuses synchronous compilation of modules over 4 KB.
const onPageMainThread = (): boolean => typeof (globalThis as { document?: unknown }).document !== 'undefined';

function tryLoadSync(): KernelExports | undefined {
  if (instance || failure !== undefined) return instance;
  if (onPageMainThread()) {
    failure = new Error("on a page's main thread the kernels compile asynchronously: await loadFusedKernel() first");
    return undefined;
  }
  try {
    const Module = wasmApi().Module;
    instance = instantiate(new Module(kernelBytes()));
  } catch (error) {
    failure = error;
  }
  return instance;
}

/** Whether the fused kernels can run in this process (WebAssembly with SIMD, module compiled). */
export function fusedAvailable(): boolean {
  return tryLoadSync() !== undefined;
}

/** The loaded kernel; throws {@link FusedUnavailableError} naming why when it cannot run. */
export function kernel(): KernelExports {
  const k = tryLoadSync();
  if (k) return k;
  const reason = failure instanceof Error ? failure.message : 'WebAssembly SIMD is not supported';
  throw new FusedUnavailableError(reason, failure);
}

/** Upper bound on the kernel memory kept across calls for packed weights; past it the kept set starts over. */
const MAX_KEPT_BYTES = 32 * 2 ** 20;
/** One packed copy of a weight matrix kept in kernel memory: the shape it was packed as and where it sits. */
interface KeptMatrix {
  readonly k: number;
  readonly n: number;
  readonly ptr: number;
}
/**
 * The packed weights one kernel module (wasm or native) keeps. Keyed by the parameter's Float32Array, which the
 * bridge reads once per tensor data (that data never changes), so an entry is valid for as long as the array
 * lives; dropped entries' memory is reused once the cap is reached.
 */
interface KeptSet {
  map: WeakMap<Float32Array, KeptMatrix[]>;
  bytes: number;
}
const keptSets = new WeakMap<KernelExports, KeptSet>();
function keptOf(k: KernelExports): KeptSet {
  let set = keptSets.get(k);
  if (!set) {
    set = { map: new WeakMap(), bytes: 0 };
    keptSets.set(k, set);
  }
  return set;
}

/** Forgets every packed weight kept for `k` and frees its memory (e.g. when the packing layout changes). */
export function dropKept(k: KernelExports): void {
  k.arena_drop();
  keptSets.delete(k);
}

/**
 * One kernel invocation's view of kernel memory (wasm memory, or the native addon's range): resets the arena, copies inputs in, hands out output buffers and
 * copies results out. Views are re-created on each access because growing memory detaches old ones.
 */
export class KernelCall {
  readonly k: KernelExports;

  /**
   * When true, {@link read} returns views into wasm memory rather than copies: for results that are copied by
   * their consumer before the next kernel call (tensors made on a backend whose `write` copies the values).
   */
  readonly views: boolean;

  private allocated = false;

  constructor(k: KernelExports = kernel(), views = false) {
    this.k = k;
    this.views = views;
    k.arena_reset();
  }

  /**
   * `w` [n, k] row-major packed for the kernels' matrix-vector products (`pack_rows`), kept in wasm memory across
   * calls so repeated inference neither copies nor repacks the weights. On a miss it must come before the call's
   * other allocations (kept memory sits below the arena's floor); otherwise, or when `w` alone exceeds the cap,
   * it returns 0 and the kernel packs the weights itself.
   */
  packedRows(w: Float32Array, k: number, n: number): number {
    let kept = keptOf(this.k);
    const hit = kept.map.get(w)?.find((e) => e.k === k && e.n === n);
    if (hit) return hit.ptr;
    const bytes = this.k.rows_packed_bytes(k, n);
    if (this.allocated || bytes > MAX_KEPT_BYTES) return 0;
    if (kept.bytes + bytes > MAX_KEPT_BYTES) {
      dropKept(this.k);
      kept = keptOf(this.k);
    }
    // the packed copy goes below the arena's floor; the temporary copy of `w` above it is freed by the reset
    this.k.arena_reset();
    const ptr = this.k.arena_alloc(bytes);
    if (ptr === 0) throw new FusedUnavailableError(`out of wasm memory keeping ${bytes} bytes of packed weights`);
    this.k.arena_keep();
    kept.bytes += bytes;
    const src = this.f32(w);
    this.k.pack_rows(k, n, src, ptr);
    this.k.arena_reset();
    this.allocated = false;
    kept.map.set(w, [...(kept.map.get(w) ?? []), { k, n, ptr }]);
    return ptr;
  }

  /** Allocates `length` floats (uninitialised); returns the pointer. */
  alloc(length: number): number {
    this.allocated = true;
    const ptr = this.k.arena_alloc(Math.max(length, 1) * 4);
    if (ptr === 0) throw new FusedUnavailableError(`out of wasm memory allocating ${length} floats`);
    return ptr;
  }

  /** Copies `data` in; returns its pointer, or 0 when `data` is undefined. */
  f32(data: Float32Array | undefined): number {
    if (data === undefined) return 0;
    const ptr = this.alloc(data.length);
    new Float32Array(this.k.memory.buffer, ptr, data.length).set(data);
    return ptr;
  }

  /** Copies int32 `data` in; returns its pointer, or 0 when `data` is undefined. */
  i32(data: Int32Array | undefined): number {
    if (data === undefined) return 0;
    const ptr = this.alloc(data.length);
    new Int32Array(this.k.memory.buffer, ptr, data.length).set(data);
    return ptr;
  }

  /** Copies a sequence [B, T, F] (batchFirst) or [T, B, F] in; returns a pointer to it time-major. */
  timeMajorIn(data: Float32Array, T: number, B: number, F: number, batchFirst: boolean): number {
    const ptr = this.f32(data);
    if (!batchFirst) return ptr;
    const tm = this.alloc(T * B * F);
    this.k.transpose01(ptr, tm, B, T, F);
    return tm;
  }

  /** Writes the time-major sequence at `src` to `dst` in the caller's layout. */
  layoutOut(src: number, dst: number, T: number, B: number, F: number, batchFirst: boolean): void {
    // with a leading axis of 1 the transpose is a plain copy
    if (batchFirst) this.k.transpose01(src, dst, T, B, F);
    else this.k.transpose01(src, dst, 1, T * B, F);
  }

  /** Copies `length` floats out of wasm memory (a view of them when {@link views} is set). */
  read(ptr: number, length: number): Float32Array {
    const view = new Float32Array(this.k.memory.buffer, ptr, length);
    // new Float32Array(view) copies with memcpy; Float32Array#slice is ~50× slower on V8 (Node 20) for large arrays.
    return this.views ? view : new Float32Array(view);
  }

  /** Copies `length` floats out of kernel memory into `into` (which must hold them); returns `into`. */
  readInto(ptr: number, length: number, into: Float32Array): Float32Array {
    into.set(new Float32Array(this.k.memory.buffer, ptr, length));
    return into;
  }
}
