// The Web Worker of the browser test: starts the wasm backend with its .wasm files served beside this script,
// compiles the fused kernels asynchronously, runs the shared computation and posts the numbers back.
import { loadFusedKernel } from '@gated/cells';
import { initBackend } from '@gated/tensor';
import { runComputation } from '../test-utils/browser-computation.js';

const scope = globalThis as unknown as { onmessage: (() => void) | null; postMessage(message: unknown): void };

scope.onmessage = () => {
  void (async () => {
    try {
      const base = new URL('./', import.meta.url).href;
      await initBackend({ backend: 'wasm', wasmPaths: base });
      if (!(await loadFusedKernel())) throw new Error('the fused kernels did not load in the worker');
      scope.postMessage({ ok: true, result: await runComputation() });
    } catch (error) {
      scope.postMessage({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error) });
    }
  })();
};
