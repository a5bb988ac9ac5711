import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { readResults } from './run-dir.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** The DOM of a page after Chromium (headless, offline-safe flags, a fresh profile) loaded it. */
async function dumpDom(file: string): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'gated-chromium-'));
  const { stdout } = await promisify(execFile)(
    CHROMIUM!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${profile}`,
      '--dump-dom',
      pathToFileURL(file).href,
    ],
    { timeout: 60_000, maxBuffer: 64 * 2 ** 20 },
  );
  return stdout;
}

describe('gated compare --quick (end to end)', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'gated-e2e-')), 'run');
  const printed: string[] = [];
  const run = main(['compare', '--quick', '--tasks', 'text-classify,memory-adding', '--backend', 'wasm', '--quiet', '--out', out], (t) => void printed.push(t));

  it('trains and measures the three models on two tasks and writes a complete, readable run', async () => {
    expect(await run).toBe(0);
    const results = readResults(out);
    expect(results.finishedAt).toBeDefined();
    expect(results.failures).toEqual([]);
    const units = ['lstm/equal-hidden', 'gru/equal-hidden', 'gru/equal-params', 'rnn/equal-hidden'];
    expect(results.runs.map((r) => `${r.task}/${r.model}/${r.sizing}`)).toEqual([
      ...units.map((u) => `text-classify/${u}`),
      ...units.map((u) => `memory-adding/${u}`),
    ]);
    expect(results.gradientFlow.map((g) => g.model)).toEqual(['lstm', 'gru', 'rnn']);
    for (const r of results.runs) {
      expect(r.params).toBeGreaterThan(0);
      expect(r.trainStepMs).toBeGreaterThan(0);
      expect(r.inferLatencyMs.tfjs).toBeGreaterThan(0);
      expect(r.inferLatencyMs.onnxruntime).toBeGreaterThan(0);
      expect(r.throughputPerSec.onnxruntime).toBeGreaterThan(0);
      expect(r.peakTensorBytes).toBeGreaterThan(r.weightBytes);
      expect(r.metric.name).toBe(r.task === 'memory-adding' ? 'mse' : 'accuracy');
      expect(Number.isFinite(r.metric.mean)).toBe(true);
      expect(r.curves.step.length).toBeGreaterThan(0);
    }
    const [lstm, gru, gruWide] = results.runs.filter((r) => r.task === 'memory-adding');
    expect(gru!.params).toBeLessThan(lstm!.params);
    expect(Math.abs(gruWide!.params - lstm!.params) / lstm!.params).toBeLessThan(0.05);
    expect(results.verdicts.some((v) => v.claim === 'gru-simpler' && v.verdict === 'supported')).toBe(true);
    expect(printed.join('')).toMatch(/memory-adding\s+gru \(equal params\)/);
  });

  it.skipIf(CHROMIUM === undefined)('report.html renders offline in headless Chromium with every chart (skipped without Debian chromium; .ci/run installs it)', async () => {
    await run;
    const dom = await dumpDom(join(out, 'report.html'));
    for (const id of ['learning-curves', 'eval-curves', 'metric-vs-params', 'speed', 'memory', 'gradient-flow']) {
      expect(dom).toMatch(new RegExp(`<figure id="chart-${id}"[^>]*>\\s*<h3>[^<]*</h3>\\s*<svg`));
    }
    expect(dom.match(/<svg/g)?.length).toBeGreaterThanOrEqual(5);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('## Results at equal hidden size');
  });
});
