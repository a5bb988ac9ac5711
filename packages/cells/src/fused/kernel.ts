import { FusedUnavailableError } from './errors.js';
import { KERNEL_WASM_BASE64 } from './kernel-wasm.js';

// The slice of the WebAssembly JS API used here (the repo's TypeScript libs do not declare it).
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
  compile(bytes: Uint8Array): Promise<object>;
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
 * Compiles the kernel without blocking (needed on a browser's main thread, where synchronous compilation of a
 * module this size is refused). Resolves to whether the kernel can run.
 */
export async function loadFusedKernel(): Promise<boolean> {
  if (instance) return true;
  try {
    instance = instantiate(await wasmApi().compile(kernelBytes()));
    failure = undefined;
    return true;
  } catch (error) {
    failure = error;
    return false;
  }
}

function tryLoadSync(): KernelExports | undefined {
  if (instance || failure !== undefined) return instance;
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

/**
 * One kernel invocation's view of wasm memory: resets the arena, copies inputs in, hands out output buffers and
 * copies results out. Views are re-created on each access because growing memory detaches old ones.
 */
export class KernelCall {
  readonly k: KernelExports;

  constructor(k: KernelExports = kernel()) {
    this.k = k;
    k.arena_reset();
  }

  /** Allocates `length` floats (uninitialised); returns the pointer. */
  alloc(length: number): number {
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

  /** Copies `length` floats out of wasm memory. */
  read(ptr: number, length: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, ptr, length).slice();
  }
}
