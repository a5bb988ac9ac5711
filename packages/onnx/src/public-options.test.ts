import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LSTM } from '@gated/cells';
import { ArgumentError, initBackend } from '@gated/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from './index.js';
import { caught, publicEntryPointTests, UNKNOWN } from '../../../tools/test-utils/public-options.js';

// Every export of the package is listed here: either how to call it with an unknown option key, or why it takes
// no options object. A new export fails the first test until it is added to one of the two lists.
const dir = mkdtempSync(join(tmpdir(), 'gated-onnx-options-'));
let lstm: LSTM;

const TAKES_OPTIONS: Record<string, () => unknown> = {
  exportOnnx: () => api.exportOnnx(lstm, UNKNOWN as never),
  exportOnnxFile: () => api.exportOnnxFile(join(dir, 'a.onnx'), lstm, UNKNOWN as never),
  OnnxInference: () => api.OnnxInference.create(new Uint8Array(0), UNKNOWN as never),
  buildEncoderDecoderOnnx: () => api.buildEncoderDecoderOnnx({} as never, UNKNOWN as never),
  OnnxEncoderDecoder: () => api.OnnxEncoderDecoder.create(new Uint8Array(0), new Uint8Array(0), UNKNOWN as never),
  'exportOnnx preprocessing': () => api.exportOnnx(lstm, { preprocessing: UNKNOWN as never }),
};

const NO_OPTIONS: Record<string, string> = {
  importOnnx: 'bytes',
  importOnnxFile: 'a path',
  readOnnxInfo: 'bytes',
  OnnxFormatError: 'error class',
  OnnxUnsupportedError: 'error class',
};

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  lstm = new LSTM({ inputSize: 2, hiddenSize: 3 });
});
afterAll(() => {
  lstm.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('public entry points of @gated/onnx', () => {
  publicEntryPointTests({ api, takesOptions: TAKES_OPTIONS, noOptions: NO_OPTIONS });

  it('exportOnnx({ lenghts }) suggests lengths', async () => {
    const error = await caught(() => api.exportOnnx(lstm, { lenghts: true } as never));
    expect((error as Error).message).toBe(
      'exportOnnx: unknown option "lenghts". Valid options: lengths, initialState, softmax, opset, docString, preprocessing, metadata. Did you mean "lengths"?',
    );
  });

  it('wrong JS types get an ArgumentError; an ArrayBuffer is accepted as bytes', async () => {
    for (const call of [() => api.importOnnx(null as never), () => api.readOnnxInfo('model.onnx' as never), () => api.importOnnxFile(null as never)]) {
      expect(await caught(call)).toBeInstanceOf(ArgumentError);
    }
    const bytes = api.exportOnnx(lstm);
    const info = api.readOnnxInfo(bytes.slice().buffer as ArrayBuffer);
    expect(info).toEqual(api.readOnnxInfo(bytes));
  });
});
