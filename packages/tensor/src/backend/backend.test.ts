import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { BackendUnavailableError } from '../check/errors.js';

const tfjsNode = '@tensorflow/tfjs-node';
const hasTfjsNode = await import(/* @vite-ignore */ tfjsNode).then(
  () => true,
  () => false,
);

describe('initBackend', () => {
  it('loads the wasm backend from the installed package, with no network', async () => {
    expect(await initBackend({ backend: 'wasm' })).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]).toBe(3);
  });

  it('switches to the cpu backend when asked', async () => {
    expect(await initBackend({ backend: 'cpu' })).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('picks tfjs-node when installed, else wasm, under auto', async () => {
    expect(await initBackend()).toBe(hasTfjsNode ? 'tensorflow' : 'wasm');
  });

  it.skipIf(hasTfjsNode)('names the package to install when an explicit backend cannot load', async () => {
    const error = await initBackend({ backend: 'tensorflow' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as BackendUnavailableError).code).toBe('GATED_BACKEND_UNAVAILABLE');
    expect((error as Error).message).toContain('npm install @tensorflow/tfjs-node');
  });

  it('rejects wasmPaths that are not a URL prefix ending in / or a map of the wasm file names to URLs, naming the problem', async () => {
    await expect(initBackend({ backend: 'cpu', wasmPaths: '/wasm' })).rejects.toMatchObject({ code: 'GATED_BAD_ARGUMENT', details: { argument: 'initBackend wasmPaths' } });
    await expect(initBackend({ backend: 'cpu', wasmPaths: 3 as never })).rejects.toMatchObject({ code: 'GATED_BAD_ARGUMENT' });
    await expect(initBackend({ backend: 'cpu', wasmPaths: { 'tfjs-backend-wasm-simd.wams': '/a.wasm' } as never })).rejects.toMatchObject({
      code: 'GATED_BAD_ARGUMENT',
      message: expect.stringContaining('tfjs-backend-wasm-simd.wasm'),
    });
    await expect(initBackend({ backend: 'cpu', wasmPaths: { 'tfjs-backend-wasm.wasm': '/a.wasm' } as never })).rejects.toMatchObject({
      code: 'GATED_BAD_ARGUMENT',
      details: { actual: 'none for tfjs-backend-wasm-simd.wasm, tfjs-backend-wasm-threaded-simd.wasm' },
    });
    const urls = { 'tfjs-backend-wasm.wasm': '/a', 'tfjs-backend-wasm-simd.wasm': '/b', 'tfjs-backend-wasm-threaded-simd.wasm': 4 };
    await expect(initBackend({ backend: 'cpu', wasmPaths: urls as never })).rejects.toMatchObject({ code: 'GATED_BAD_ARGUMENT' });
  });

  it('rejects wasmPaths once the wasm backend has started (its binary is fetched once)', async () => {
    await initBackend({ backend: 'wasm' });
    await expect(initBackend({ backend: 'wasm', wasmPaths: '/wasm/' })).rejects.toMatchObject({
      code: 'GATED_BAD_ARGUMENT',
      details: { argument: 'initBackend wasmPaths', actual: 'a wasm backend already started' },
    });
  });

  it('rejects an unknown backend name, listing the valid ones', async () => {
    await expect(initBackend({ backend: 'webgpu' as never })).rejects.toThrow(`initBackend: option "backend" must be 'auto' | 'wasm' | 'cpu' | 'tensorflow', got 'webgpu'.`);
  });
});
