// The Web Worker of the browser test: starts the wasm backend with its .wasm files served beside this script,
// compiles the fused kernels asynchronously, runs the shared computation and posts the numbers back.
import { loadFusedKernel } from '@gated/cells';
import { initBackend } from '@gated/tensor';
import { runComputation } from '../test-utils/browser-computation.js';

// Every browser-capable package is evaluated here, so a module that throws on import in a browser (a top-level
// Node API) fails the test. Dynamic imports: one failing package is reported by name, the others still load.
const PACKAGES: Record<string, () => Promise<object>> = {
  '@gated/tensor': () => import('@gated/tensor'),
  '@gated/cells': () => import('@gated/cells'),
  '@gated/trainer': () => import('@gated/trainer'),
  '@gated/ctc': () => import('@gated/ctc'),
  '@gated/onnx': () => import('@gated/onnx'),
  '@gated/seq2seq': () => import('@gated/seq2seq'),
  '@gated/datasets-text': () => import('@gated/datasets-text'),
  '@gated/datasets-speech': () => import('@gated/datasets-speech'),
  '@gated/datasets-timeseries': () => import('@gated/datasets-timeseries'),
  '@gated/datasets-music': () => import('@gated/datasets-music'),
};

/** Each package's number of exports once imported in this worker, or the error its import threw. */
async function importEveryPackage(): Promise<Record<string, number | string>> {
  const imported: Record<string, number | string> = {};
  for (const [name, load] of Object.entries(PACKAGES)) {
    imported[name] = await load().then(
      (m) => Object.keys(m).length,
      (error: unknown) => String(error),
    );
  }
  return imported;
}

const scope = globalThis as unknown as { onmessage: (() => void) | null; postMessage(message: unknown): void };

scope.onmessage = () => {
  void (async () => {
    try {
      const base = new URL('./', import.meta.url).href;
      await initBackend({ backend: 'wasm', wasmPaths: base });
      if (!(await loadFusedKernel())) throw new Error('the fused kernels did not load in the worker');
      scope.postMessage({ ok: true, result: await runComputation(), imported: await importEveryPackage() });
    } catch (error) {
      scope.postMessage({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error) });
    }
  })();
};
