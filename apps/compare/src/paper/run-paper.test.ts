import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelParams } from '../sizing.js';
import type { PaperResultsFile } from './paper-results.js';
import { PAPER_TASK_IDS } from './paper-task.js';
import { PAPER_TASKS } from './registry.js';
import { runPaperSuite } from './run-paper.js';

// The tasks trained as a recurrent stack + head (the G2P encoder–decoders have their own test).
const SEQUENCE_TASKS = PAPER_TASK_IDS.filter((t): t is 'music-jsb' | 'memory-adding' | 'memory-copy' => !t.startsWith('text-g2p'));

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('paper suite', () => {
  it('sizes every model near the paper parameter count (within 40%)', () => {
    const inputs = { 'music-jsb': [88, 88], 'memory-adding': [2, 1], 'memory-copy': [10, 10] } as const;
    for (const id of SEQUENCE_TASKS) {
      const def = PAPER_TASKS[id];
      for (const [kind, m] of Object.entries(def.models)) {
        const [inputSize, outputSize] = inputs[id];
        const params = modelParams({ kind: kind as 'lstm', inputSize, hiddenSize: m!.hiddenSize, outputSize });
        expect(Math.abs(params - def.paperParams) / def.paperParams, `${id}/${kind}: ${params}`).toBeLessThan(0.4);
      }
    }
  });

  it('a quick run of every sequence-model paper task trains, picks a learning rate, scores the test split and writes the Published results', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'paper-')), 'run');
    const lines: string[] = [];
    const before = tf.memory().numTensors;
    const { results } = await runPaperSuite({
      tasks: [...SEQUENCE_TASKS],
      models: ['lstm', 'gru', 'rnn'],
      seeds: 2,
      quick: true,
      out,
      backend: 'wasm',
      registry: PAPER_TASKS,
      log: (line) => lines.push(line),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(results.failures).toEqual([]);
    // music-jsb has all three models; the memory tasks only the two the paper reports.
    expect(results.entries.map((e) => `${e.task}/${e.model}`)).toEqual([
      'music-jsb/lstm',
      'music-jsb/gru',
      'music-jsb/rnn',
      'memory-adding/lstm',
      'memory-adding/gru',
      'memory-copy/lstm',
      'memory-copy/gru',
    ]);
    for (const e of results.entries) {
      expect(e.seeds.length).toBe(2);
      expect(e.test.n).toBe(2);
      for (const s of e.seeds) {
        expect(Number.isFinite(s.test)).toBe(true);
        expect(s.bestValid).toBeLessThanOrEqual(s.validCurve.metric[0]!);
      }
      expect(e.protocol.learningRateGrid).toContain(e.protocol.learningRate);
      expect(e.verdict?.verdict).toMatch(/reproduced/);
    }
    const jsb = results.entries[0]!;
    // An untrained model is near 88·ln 2 ≈ 61 nats per step; a few steps must not be worse than that by much.
    expect(jsb.test.mean).toBeGreaterThan(0);
    expect(jsb.test.mean).toBeLessThan(80);
    const file = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as PaperResultsFile;
    expect(file.suite).toBe('paper');
    expect(file.finishedAt).toBeDefined();
    expect(file.cpuSeconds).toBeGreaterThan(0);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('## Published results');
    expect(report).toContain('| music-jsb (nll/step) | GRU 46 |');
    expect(report).toMatch(/smoke run/);
    expect(existsSync(join(out, 'report.md'))).toBe(true);
  });
});
