import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BrowserComputation, runComputation } from '../../../tools/test-utils/browser-computation.js';
import { CHROMIUM, runInChromiumWorker } from '../../../tools/test-utils/in-browser.js';

// Tolerance: none. Both runtimes run the same tfjs-backend-wasm binary and the same fused wasm kernels on the same
// seeds, and the numbers were found bit-identical (float32 values through JSON), so any difference is a bug.
describe('gated in a Web Worker in Chromium', () => {
  let node: BrowserComputation;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    node = await runComputation();
  });

  it.skipIf(CHROMIUM === undefined)(
    'a seeded LSTM and GRU forward and six fit steps in a Web Worker (wasm backend, fused wasm kernels) give exactly the numbers of the same run in Node (skipped without Debian chromium; .ci/run installs it)',
    async () => {
      const run = await runInChromiumWorker<BrowserComputation>(80_000);
      expect(run.message.error).toBeUndefined();
      expect(run.message.ok).toBe(true);
      const browser = run.message.result!;
      expect(browser.backend).toBe('wasm');
      for (const kind of ['lstm', 'gru'] as const) {
        expect(node.training[kind]).toHaveLength(6);
        expect(browser.forward[kind], `${kind} forward`).toEqual(node.forward[kind]);
        expect(browser.training[kind], `${kind} training losses`).toEqual(node.training[kind]);
        expect(browser.trained[kind], `${kind} logits after training`).toEqual(node.trained[kind]);
      }
      // Every browser-capable package evaluates in the worker (no Node API at module level).
      const imported = Object.entries(run.message.imported ?? {});
      expect(imported.map(([name]) => name)).toHaveLength(10);
      for (const [name, count] of imported) expect(typeof count === 'number' && count > 0, `${name}: ${count}`).toBe(true);
      expect(run.consoleErrors).toEqual([]);
      expect(run.blockedRequests).toEqual([]);
    },
    90_000,
  );
});
