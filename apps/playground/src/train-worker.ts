// One training worker: owns one model (LSTM or GRU) and trains it off the page's main thread, so the page stays
// responsive and the two models train at the same time on separate threads.
import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm?url';
import simdUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.wasm?url';
import threadedUrl from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { WorkerReply, WorkerRequest } from './protocol.js';
import { type TrainingSession, createSession, disposeSession, exportModel, inspect, sampleText, trainStep } from './session.js';
import { fetchSpokenDigits, heldOutAccuracy, setSpokenDigitsAudio, spokenDigitsReady } from './task-spoken-digits.js';

interface WorkerScope {
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;

// The wasm binaries are emitted by Vite beside the page (no network); tfjs would otherwise look for them next
// to this script under their unhashed names.
const backend = initBackend({
  backend: 'wasm',
  wasmPaths: { 'tfjs-backend-wasm.wasm': wasmUrl, 'tfjs-backend-wasm-simd.wasm': simdUrl, 'tfjs-backend-wasm-threaded-simd.wasm': threadedUrl },
});

let session: TrainingSession | null = null;
let running = false;

const post = (message: WorkerReply, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);

/** Yields to the event loop so a `stop` message can arrive between steps. */
const yieldToMessages = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

async function train(s: TrainingSession): Promise<void> {
  running = true;
  while (running && s.step < s.settings.steps) {
    const { loss, stepMs } = trainStep(s);
    const memory = tf.memory();
    post({ type: 'step', step: s.step, loss, stepMs, numTensors: memory.numTensors, numBytes: memory.numBytes });
    await yieldToMessages();
  }
  running = false;
  const accuracy = s.settings.task === 'spoken-digits' ? heldOutAccuracy(s.model, s.settings.seqLen) : undefined;
  post({ type: 'stopped', step: s.step, finished: s.step >= s.settings.steps, ...(accuracy === undefined ? {} : { accuracy }) });
}

async function handle(request: WorkerRequest): Promise<void> {
  if (request.type === 'stop') {
    running = false;
    return;
  }
  const name = await backend;
  if (request.type === 'init') {
    running = false;
    if (session) disposeSession(session);
    session = null;
    // The embedded spoken digits: emitted by the build beside this script (gzipped PCM16 and the JSON index).
    if (request.settings.task === 'spoken-digits' && !spokenDigitsReady()) setSpokenDigitsAudio(await fetchSpokenDigits(new URL('.', import.meta.url)));
    session = createSession(request.kind, request.settings);
    post({ type: 'ready', kind: request.kind, backend: name, params: session.model.countParams() });
    return;
  }
  if (!session) throw new Error(`the worker got '${request.type}' before 'init'`);
  if (request.type === 'train') {
    if (!running) await train(session);
  } else if (request.type === 'inspect') {
    post({ type: 'inspected', ...inspect(session) });
  } else if (request.type === 'sample') {
    post({ type: 'sampled', text: sampleText(session, request.prime, request.length, request.temperature) });
  } else {
    const { onnx, input, output } = exportModel(session);
    post({ type: 'exported', onnx, input, output }, [onnx.buffer as ArrayBuffer]);
  }
}

scope.onmessage = (event) => {
  handle(event.data).catch((error: unknown) => {
    running = false;
    post({ type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  });
};
