import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { readResults } from './run-dir.js';
import { SPEED_RACE } from './speed-race.js';

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
  const run = main(['compare', '--quick', '--tasks', 'text-classify,memory-adding-t50,memory-adding-t400', '--backend', 'wasm', '--quiet', '--out', out], (t) => void printed.push(t));

  it('trains and measures the three models on a task and two lengths of the horizon sweep and writes a complete, readable run', async () => {
    expect(await run).toBe(0);
    const results = readResults(out);
    expect(results.finishedAt).toBeDefined();
    expect(results.failures).toEqual([]);
    const units = ['lstm/equal-hidden', 'gru/equal-hidden', 'gru/equal-params', 'gru/equal-compute', 'rnn/equal-hidden'];
    const sweep = ['lstm/equal-hidden', 'gru/equal-hidden', 'rnn/equal-hidden'];
    expect(results.runs.map((r) => `${r.task}/${r.model}/${r.sizing}`)).toEqual([
      ...units.map((u) => `text-classify/${u}`),
      ...sweep.map((u) => `memory-adding-t50/${u}`),
      ...sweep.map((u) => `memory-adding-t400/${u}`),
    ]);
    // The probe runs at the longest T of the sweep only.
    expect(results.gradientFlow.map((g) => `${g.task}/${g.model}`)).toEqual(['lstm', 'gru', 'rnn'].map((m) => `memory-adding-t400/${m}`));
    expect(results.gateStats!.map((g) => `${g.task}/${g.model}`)).toEqual(
      ['text-classify', 'memory-adding-t50', 'memory-adding-t400'].flatMap((t) => [`${t}/lstm`, `${t}/gru`]),
    );
    expect(results.gateStats!.filter((g) => g.heatmap !== undefined).map((g) => g.task)).toEqual(['memory-adding-t50', 'memory-adding-t50', 'memory-adding-t400', 'memory-adding-t400']);
    const compute = results.runs.find((r) => r.task === 'text-classify' && r.sizing === 'equal-compute')!;
    const lstmTc = results.runs.find((r) => r.task === 'text-classify' && r.model === 'lstm')!;
    expect(compute.config.steps * compute.config.stepFlops!).toBeGreaterThan(0.95 * lstmTc.config.steps * lstmTc.config.stepFlops!);
    expect(compute.config.steps * compute.config.stepFlops!).toBeLessThan(1.05 * lstmTc.config.steps * lstmTc.config.stepFlops!);
    for (const r of results.runs) {
      expect(r.params).toBeGreaterThan(0);
      expect(r.trainStepMs).toBeGreaterThan(0);
      expect(r.inferLatencyMs.tfjs).toBeGreaterThan(0);
      expect(r.inferLatencyMs.onnxruntime).toBeGreaterThan(0);
      expect(r.throughputPerSec.onnxruntime).toBeGreaterThan(0);
      expect(r.peakTensorBytes).toBeGreaterThan(r.weightBytes);
      expect(r.metric.name).toBe(r.task.startsWith('memory-adding') ? 'mse' : 'accuracy');
      expect(r.curves.evalTrainMs?.length).toBe(r.curves.evalStep.length);
      expect(Number.isFinite(r.metric.mean)).toBe(true);
      expect(r.curves.step.length).toBeGreaterThan(0);
    }
    const [lstm, gru, gruWide] = results.runs.filter((r) => r.task === 'text-classify');
    expect(gru!.params).toBeLessThan(lstm!.params);
    expect(Math.abs(gruWide!.params - lstm!.params) / lstm!.params).toBeLessThan(0.05);
    expect(results.verdicts.some((v) => v.claim === 'gru-simpler' && v.verdict === 'supported')).toBe(true);
    expect(results.verdicts.some((v) => v.claim === 'lstm-better-long-dependencies' && v.measure === 'horizon T')).toBe(true);
    expect(printed.join('')).toMatch(/text-classify\s+gru \(equal compute\)/);
    // Every task's equal-hidden models were raced; the speed verdicts are the paired ones.
    for (const r of results.runs) expect(r.pairedSpeed?.trainStepCpuMs.length, `${r.task}/${r.model}/${r.sizing}`).toBe(r.sizing === 'equal-hidden' ? SPEED_RACE.rounds : undefined);
    const speed = results.verdicts.filter((v) => v.claim === 'gru-trains-faster' || v.claim === 'gru-infers-faster');
    expect(speed).toHaveLength(6);
    for (const v of speed) expect(v.ratio?.rounds).toBe(SPEED_RACE.rounds);
  });

  it.skipIf(CHROMIUM === undefined)('report.html renders offline in headless Chromium with every chart (skipped without Debian chromium; .ci/run installs it)', async () => {
    await run;
    const dom = await dumpDom(join(out, 'report.html'));
    const ids = [
      'summary-accuracy', 'summary-cost', 'summary-horizon',
      'learning-curves', 'eval-curves', 'metric-vs-params', 'speed', 'memory', 'gradient-flow',
      'metric-vs-time', 'metric-vs-flops', 'memory-horizon', 'gate-histograms', 'gate-saturation', 'gate-heatmap',
    ];
    for (const id of ids) {
      expect(dom).toMatch(new RegExp(`<figure id="chart-${id}"[^>]*>\\s*<h3>[^<]*</h3>\\s*<svg`));
    }
    expect(dom.match(/<svg/g)?.length).toBeGreaterThanOrEqual(ids.length);
    // The summary comes first: before the verdict table.
    expect(dom.indexOf('id="chart-summary-accuracy"')).toBeLessThan(dom.indexOf('comparative table, checked'));
    // The heatmap draws its cells (rect marks), the horizon chart its lines.
    const heatmap = dom.slice(dom.indexOf('id="chart-gate-heatmap"'));
    expect(heatmap.slice(0, heatmap.indexOf('</figure>'))).toMatch(/class="mark-rect/);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('## Results at equal hidden size');
  });
});
