import { describe, expect, it } from 'vitest';
import { buildSequenceModel, type SequenceModelSpec } from './build-model.js';
import { encodeModel } from './onnx-proto.js';
import { dirs, outSize } from './recurrent-spec.js';
import { randomModel, referenceModel } from './test-utils/reference-model.js';
import { flat, maxAbsDiff, randomInput } from './test-utils/reference-rnn.js';
import { type Feed, type Runtime, runOrt } from './test-utils/ort.js';

const TOL = 1e-5;

async function check(m: SequenceModelSpec, withLengths: boolean, runtime: Runtime = 'node'): Promise<number> {
  const bytes = encodeModel(buildSequenceModel(m, { lengths: withLengths, softmax: true }));
  const B = 4;
  const T = 6;
  const lengths = withLengths ? [6, 1, 3, 5] : undefined;
  let input: number[][] | number[][][];
  let feed: Feed;
  if (m.embedding) {
    const V = m.embedding.shape[0]!;
    input = Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => (b * 7 + t * 3) % V));
    feed = { type: 'int32', data: flat(input), dims: [B, T] };
  } else {
    input = randomInput(B, T, m.rnn.inputSize, 3);
    feed = { type: 'float32', data: flat(input), dims: [B, T, m.rnn.inputSize] };
  }
  const ref = referenceModel(m, input, lengths);
  const feeds: Record<string, Feed> = { input: feed };
  if (lengths) feeds['lengths'] = { type: 'int32', data: lengths, dims: [B] };
  const out = await runOrt(runtime, bytes, feeds);
  const outF = m.head.weight.shape[0]!;
  expect(out['output']!.dims).toEqual(m.pooling === 'none' ? [B, T, outF] : [B, outF]);
  expect(out['hidden']!.dims).toEqual([m.rnn.numLayers * dirs(m.rnn), B, outSize(m.rnn)]);
  const logits = flat(ref.logits);
  // softmax over the last axis, in float64
  const probs: number[] = [];
  for (let i = 0; i < logits.length; i += outF) {
    const row = logits.slice(i, i + outF);
    const mx = Math.max(...row);
    const e = row.map((v) => Math.exp(v - mx));
    const s = e.reduce((a, b) => a + b, 0);
    probs.push(...e.map((v) => v / s));
  }
  return Math.max(
    maxAbsDiff(out['output']!.data, logits),
    maxAbsDiff(out['probabilities']!.data, probs),
    maxAbsDiff(out['hidden']!.data, flat(ref.hidden)),
  );
}

const CASES: [string, Parameters<typeof randomModel>[0]][] = [
  ['token LSTM classifier (embedding → LSTM → last → linear)', { kind: 'lstm', vocabSize: 11, inputSize: 4, hiddenSize: 6, outputSize: 3, pooling: 'last' }],
  ['bidirectional 2-layer GRU, last pooling (forward last valid step, backward step 0)', { kind: 'gru', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, outputSize: 2, pooling: 'last' }],
  ['bidirectional LSTM with projection and mean pooling', { kind: 'lstm', inputSize: 3, hiddenSize: 5, projSize: 2, bidirectional: true, outputSize: 3, pooling: 'mean' }],
  ['RNN regressor with mean pooling', { kind: 'rnn', inputSize: 3, hiddenSize: 4, outputSize: 1, pooling: 'mean' }],
  ['token LSTM language model (pooling none)', { kind: 'lstm', vocabSize: 9, inputSize: 4, hiddenSize: 5, numLayers: 2, outputSize: 9, pooling: 'none' }],
  ['GRU chung2014 form, reset before, per-step outputs', { kind: 'gru', inputSize: 3, hiddenSize: 4, resetAfter: false, updateGate: 'chung2014', outputSize: 2, pooling: 'none' }],
];

describe('a whole SequenceModel exported to ONNX runs in onnxruntime-node like the float64 reference', () => {
  for (const [name, o] of CASES) {
    it(`${name}: logits, softmax and h_n within 1e-5, with and without lengths`, async () => {
      const m = randomModel(o, 21);
      expect(await check(m, true)).toBeLessThan(TOL);
      expect(await check(m, false)).toBeLessThan(TOL);
    });
  }
  it('the same models run in onnxruntime-web with the same outputs', async () => {
    for (const [, o] of CASES) expect(await check(randomModel(o, 21), true, 'web')).toBeLessThan(TOL);
  });
});
