import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedAvailable } from './fused/index.js';
import { chooseImplementation } from './implementation.js';
import { nativeAvailable } from './native/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('chooseImplementation', () => {
  it('picks the compiled kernels automatically on CPU-side backends (native where it loads, else fused), and can be forced either way', () => {
    expect(fusedAvailable()).toBe(true);
    const kernels = nativeAvailable() ? 'native' : 'fused';
    expect(chooseImplementation('auto', 'wasm').implementation).toBe(kernels);
    expect(chooseImplementation('auto', 'cpu').implementation).toBe(kernels);
    expect(chooseImplementation('auto', 'tensorflow').implementation).toBe(kernels);
    expect(chooseImplementation('auto', 'webgl')).toEqual({ implementation: 'step', reason: 'step: backend webgl keeps tensors on the GPU' });
    expect(chooseImplementation('fused', 'webgl')).toEqual({ implementation: 'fused', reason: 'fused (forced)' });
    expect(chooseImplementation('sequence', 'wasm').implementation).toBe('sequence');
  });
});
