import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { readResults } from '../run-dir.js';

describe('speech-ctc in gated compare --quick', () => {
  it('trains bidirectional GRUs (equal hidden size and equal parameters to the LSTM) with CTC and reports digit error rates greedy and beam on unheard voices', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gated-ctc-')), 'run');
    const printed: string[] = [];
    expect(await main(['compare', '--quick', '--tasks', 'speech-ctc', '--models', 'gru', '--backend', 'wasm', '--quiet', '--out', out], (t) => void printed.push(t))).toBe(0);
    const results = readResults(out);
    expect(results.failures).toEqual([]);
    expect(results.runs.map((r) => `${r.model}/${r.sizing}`)).toEqual(['gru/equal-hidden', 'gru/equal-params']);
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
    // Bidirectional parameter counts (PyTorch's): GRU 2 directions × 3 gates, head over 2H; the equal-params GRU
    // is widened to the bidirectional LSTM's count at the same budget hidden size.
    const [equalHidden, equalParams] = results.runs;
    const H = equalHidden!.config.hiddenSize;
    expect(equalHidden!.params).toBe(2 * (3 * H * (39 + H) + 6 * H) + 11 * 2 * H + 11);
    const lstmParams = 2 * (4 * H * (39 + H) + 8 * H) + 11 * 2 * H + 11;
    expect(equalParams!.config.targetParams).toBe(lstmParams);
    expect(Math.abs(equalParams!.params - lstmParams) / lstmParams).toBeLessThan(0.05);
  }, 300_000);
});
