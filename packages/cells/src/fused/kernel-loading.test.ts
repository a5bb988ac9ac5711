import { afterEach, describe, expect, it, vi } from 'vitest';

// Each test loads a fresh copy of the kernel module, so no test sees a kernel another one compiled.
async function freshKernelModule(): Promise<typeof import('./wasm-kernels.js')> {
  vi.resetModules();
  return import('./wasm-kernels.js');
}

describe('loading the fused wasm kernels', () => {
  afterEach(() => {
    delete (globalThis as { document?: unknown }).document;
  });

  it('on a page main thread, refuses to compile synchronously and names loadFusedKernel; after it, the kernels run', async () => {
    (globalThis as { document?: unknown }).document = {};
    const k = await freshKernelModule();
    expect(k.fusedAvailable()).toBe(false);
    expect(() => k.kernel()).toThrow(/await loadFusedKernel\(\) first/);
    expect(await k.loadFusedKernel()).toBe(true);
    expect(k.fusedAvailable()).toBe(true);
    expect(typeof k.kernel().sgemm).toBe('function');
  });

  it('in a worker or Node (no document), compiles on first use without loadFusedKernel', async () => {
    const k = await freshKernelModule();
    expect(k.fusedAvailable()).toBe(true);
  });
});
