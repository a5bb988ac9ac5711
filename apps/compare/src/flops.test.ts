import { describe, expect, it } from 'vitest';
import { cellStepFlops, equalComputeSteps, forwardFlops, trainStepFlops } from './flops.js';
import { recurrentParams } from './sizing.js';

describe('FLOP counts', () => {
  it('count one cell step as derived by hand for LSTM, GRU and RNN', () => {
    // LSTM, in 2, H 64: products 2·4·64·(2+64) = 33,792; + 4H adds + 8H bias + 9H gates = 21·64 = 1,344.
    expect(cellStepFlops('lstm', 2, 64)).toBe(35_136);
    // GRU: 2·3·64·66 = 25,344; + 2H adds + 6H bias + 9H gates = 17·64 = 1,088.
    expect(cellStepFlops('gru', 2, 64)).toBe(26_432);
    // RNN: 2·64·66 = 8,448; + H add + 2H bias + H tanh = 256.
    expect(cellStepFlops('rnn', 2, 64)).toBe(8_704);
    // LSTM with projection (in 3, H 4, P 2): 2·16·(3+2) = 160, + 21·4 = 84, + 2·2·4 = 16.
    expect(cellStepFlops('lstm', 3, 4, 2)).toBe(260);
  });

  it('the product term is exactly 2 FLOPs per recurrent weight (one multiply-add each)', () => {
    for (const kind of ['lstm', 'gru', 'rnn'] as const) {
      const gates = { lstm: 4, gru: 3, rnn: 1 }[kind];
      const weights = recurrentParams({ kind, inputSize: 10, hiddenSize: 32, bias: false });
      const pointwise = { lstm: 21, gru: 17, rnn: 4 }[kind] * 32;
      expect(cellStepFlops(kind, 10, 32)).toBe(2 * weights + pointwise);
      expect(weights).toBe(gates * 32 * (10 + 32));
    }
  });

  it('count a whole model on a batch: layers × directions × steps, plus the head as the pooling reads it', () => {
    // Adding problem: T 50, B 32, H 64, last-step head 1·64 (2·64 + 1 = 129 per sequence).
    const adding = { inputSize: 2, hiddenSize: 64, outputSize: 1, seqLen: 50, batchSize: 32, pooling: 'last' } as const;
    expect(forwardFlops({ kind: 'lstm', ...adding })).toBe(32 * (50 * 35_136 + 129));
    expect(trainStepFlops({ kind: 'lstm', ...adding })).toBe(3 * 32 * (50 * 35_136 + 129));
    // 2-layer bidirectional LSTM (in 3, H 4): layer 0 2·(8·4·7 + 84) = 616, layer 1 (in 8) 2·(8·4·12 + 84) = 936;
    // mean pooling over T 10 of 8 features (80 adds), head 2·5·8 + 5 = 85.
    expect(forwardFlops({ kind: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, outputSize: 5, seqLen: 10, batchSize: 1, pooling: 'mean' })).toBe(
      10 * (616 + 936) + 80 + 85,
    );
    // A language model: the embedding is a gather (0); the head runs at every step (pooling 'none').
    const lm = { vocabSize: 100, embeddingDim: 16, hiddenSize: 32, outputSize: 100, seqLen: 8, batchSize: 2, pooling: 'none' } as const;
    expect(forwardFlops({ kind: 'gru', ...lm })).toBe(2 * 8 * (cellStepFlops('gru', 16, 32) + 2 * 100 * 32 + 100));
  });

  it('gives a GRU at the LSTM hidden size about 4/3 of its steps at equal compute', () => {
    const adding = { inputSize: 2, hiddenSize: 64, outputSize: 1, seqLen: 50, batchSize: 32, pooling: 'last' } as const;
    const lstm = trainStepFlops({ kind: 'lstm', ...adding });
    const gru = trainStepFlops({ kind: 'gru', ...adding });
    // 1000 · 56,221,728 / 42,295,328 = 1329.3
    expect(equalComputeSteps(1000, lstm, gru)).toBe(1329);
    expect(equalComputeSteps(1000, lstm, gru) / 1000).toBeCloseTo(4 / 3, 1);
    expect(() => equalComputeSteps(0, lstm, gru)).toThrow();
    expect(() => forwardFlops({ kind: 'lstm', hiddenSize: 4, outputSize: 1, seqLen: 3, batchSize: 1, pooling: 'last' })).toThrow(/input size/);
  });
});
