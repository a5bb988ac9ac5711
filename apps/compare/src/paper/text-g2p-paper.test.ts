import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAPER_TASKS } from './registry.js';
import { runPaperSuite } from './run-paper.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('text-g2p in the paper suite', () => {
  it('a quick run trains the 2-layer H 256 encoder–decoders with early stopping and holds the LSTM with attention against the published PER', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'paper-g2p-')), 'run');
    const before = tf.memory().numTensors;
    const { results } = await runPaperSuite({ tasks: ['text-g2p', 'text-g2p-plain'], models: ['lstm', 'gru', 'rnn'], seeds: 1, quick: true, out, backend: 'wasm', registry: PAPER_TASKS, log: () => {} });
    expect(tf.memory().numTensors).toBe(before);
    expect(results.failures).toEqual([]);
    // No plain-RNN encoder–decoder: the G2P tasks report LSTM and GRU only.
    expect(results.entries.map((e) => `${e.task}/${e.model}`)).toEqual(['text-g2p/lstm', 'text-g2p/gru', 'text-g2p-plain/lstm', 'text-g2p-plain/gru']);
    for (const e of results.entries) {
      const [seed] = e.seeds;
      expect(seed!.test).toBeGreaterThan(0);
      expect(seed!.steps).toBeLessThanOrEqual(4);
      expect(seed!.bestValid).toBeLessThanOrEqual(seed!.validCurve.metric[0]!);
      expect(e.hiddenSize).toBe(256);
    }
    expect(results.entries[0]!.params).toBe(2_059_562);
    expect(results.entries[0]!.published).toBe(4.69);
    expect(results.entries[0]!.verdict?.verdict).toBe('not reproduced');
    expect(results.entries.slice(1).every((e) => e.verdict === null)).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/Toshniwal & Livescu 2016.*secondary source/);
  }, 300_000);
});
