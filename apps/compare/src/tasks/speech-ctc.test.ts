import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { readResults } from '../run-dir.js';

describe('speech-ctc in gated compare --quick', () => {
  it('trains bidirectional LSTM, GRU (both sizings) and RNN with CTC and reports digit error rates greedy and beam on unheard voices', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gated-ctc-')), 'run');
    const printed: string[] = [];
    expect(await main(['compare', '--quick', '--tasks', 'speech-ctc', '--backend', 'wasm', '--quiet', '--out', out], (t) => void printed.push(t))).toBe(0);
    const results = readResults(out);
    expect(results.failures).toEqual([]);
    expect(results.runs.map((r) => `${r.model}/${r.sizing}`)).toEqual(['lstm/equal-hidden', 'gru/equal-hidden', 'gru/equal-params', 'rnn/equal-hidden']);
    for (const run of results.runs) {
      expect(run.metric.name).toBe('digit error rate');
      expect(run.metric.higherIsBetter).toBe(false);
      // An untrained-ish model: error rate is finite and non-negative (deletions alone give ≤ 1; insertions can exceed it).
      expect(run.metric.mean).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(run.metric.mean)).toBe(true);
      expect(Object.keys(run.extraMetrics).sort()).toEqual(['derBeam', 'sentenceAccuracy', 'sentenceAccuracyBeam']);
      expect(run.config.pooling).toBe('none');
      expect(run.config.outputSize).toBe(11);
      expect(run.inferLatencyMs.onnxruntime).not.toBeNull();
    }
    // Bidirectional parameter counts: LSTM 2 directions × 4 gates, head over 2H.
    const lstm = results.runs.find((r) => r.model === 'lstm')!;
    const H = lstm.config.hiddenSize;
    expect(lstm.params).toBe(2 * (4 * H * (39 + H) + 8 * H) + 11 * 2 * H + 11);
    const gruEqual = results.runs.find((r) => r.model === 'gru' && r.sizing === 'equal-params')!;
    expect(Math.abs(gruEqual.params - lstm.params) / lstm.params).toBeLessThan(0.1);
  });
});
