import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PaperTaskDefinition } from './paper-task.js';
import { PAPER_TASKS } from './registry.js';
import { runPaperSuite } from './run-paper.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('text-g2p in the paper suite', () => {
  it('the models are 2-layer H 256 encoder–decoders, LSTM and GRU, and only the LSTM with attention has a published PER', () => {
    const g2p = PAPER_TASKS['text-g2p'];
    expect(g2p.models).toMatchObject({ lstm: { hiddenSize: 256, published: 4.69 }, gru: { hiddenSize: 256, published: null } });
    expect(Object.keys(g2p.models)).toEqual(['lstm', 'gru']);
    expect(PAPER_TASKS['text-g2p-plain'].models.lstm?.published).toBeNull();
  });

  it('a quick run (the models shrunk to H 16) trains with early stopping and holds the LSTM with attention against the published PER', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'paper-g2p-')), 'run');
    const small = (d: PaperTaskDefinition): PaperTaskDefinition => ({
      ...d,
      models: Object.fromEntries(Object.entries(d.models).map(([k, m]) => [k, { ...m!, hiddenSize: 16 }])),
    });
    const registry = { ...PAPER_TASKS, 'text-g2p': small(PAPER_TASKS['text-g2p']), 'text-g2p-plain': small(PAPER_TASKS['text-g2p-plain']) };
    const before = tf.memory().numTensors;
    const { results } = await runPaperSuite({ tasks: ['text-g2p', 'text-g2p-plain'], models: ['lstm', 'gru', 'rnn'], seeds: 1, quick: true, out, backend: 'wasm', registry, log: () => {} });
    expect(tf.memory().numTensors).toBe(before);
    expect(results.failures).toEqual([]);
    // No plain-RNN encoder–decoder: the G2P tasks report LSTM and GRU only.
    expect(results.entries.map((e) => `${e.task}/${e.model}`)).toEqual(['text-g2p/lstm', 'text-g2p/gru', 'text-g2p-plain/lstm', 'text-g2p-plain/gru']);
    for (const e of results.entries) {
      const [seed] = e.seeds;
      expect(seed!.test).toBeGreaterThan(0);
      expect(seed!.steps).toBeLessThanOrEqual(4);
      expect(seed!.bestValid).toBeLessThanOrEqual(seed!.validCurve.metric[0]!);
      expect(e.hiddenSize).toBe(16);
    }
    expect(results.entries[0]!.published).toBe(4.69);
    expect(results.entries[0]!.verdict?.verdict).toBe('not reproduced');
    expect(results.entries.slice(1).every((e) => e.verdict === null)).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/Toshniwal & Livescu 2016.*secondary source/);
  }, 300_000);
});
