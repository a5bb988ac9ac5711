import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';

// Its own file, so the wasm module is instantiated here for the first time (vitest runs each file in a fresh fork).
describe('initBackend and the process', () => {
  it("leaves the program's 'uncaughtException' and 'unhandledRejection' listeners as they were (wasm)", async () => {
    const mine = (): void => {};
    process.on('uncaughtException', mine);
    const before = { uncaught: process.listeners('uncaughtException'), rejection: process.listeners('unhandledRejection') };
    try {
      expect(await initBackend({ backend: 'wasm' })).toBe('wasm');
      // tfjs-backend-wasm's emscripten module adds listeners that rethrow every error from inside the module (exit 7).
      expect(process.listeners('uncaughtException')).toEqual(before.uncaught);
      expect(process.listeners('unhandledRejection')).toEqual(before.rejection);
    } finally {
      process.removeListener('uncaughtException', mine);
    }
  });
});
