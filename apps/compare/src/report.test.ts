import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCharts } from './charts.js';
import { heatmapRecords } from './gate-charts.js';
import { reportHtml, reportMarkdown, writeReport } from './report.js';
import { summaryTable } from './summary-table.js';
import { syntheticResults } from './test-utils/synthetic-results.js';

describe('report', () => {
  const results = syntheticResults(['text-classify', 'memory-adding']);

  it('report.md holds the verdicts, the headline table and the equal-params table', () => {
    const md = reportMarkdown(results);
    expect(md).toContain("## The seed's comparative table, checked");
    expect(md).toContain('GRU trains faster than LSTM');
    expect(md).toMatch(/\| memory-adding \| gru \(equal params\) \| 74 \|/);
    expect(md).toContain('accuracy 0.9 ± 0.01');
    expect(md).toContain('## Gradient flow');
  });

  const sweep = syntheticResults(['text-classify', 'memory-adding-t50', 'memory-adding-t100', 'memory-adding-t200', 'memory-adding-t400']);

  it('report.md opens with the summary charts, then the verdicts, and has the horizon, compute, convergence and gate sections', () => {
    const md = reportMarkdown(sweep);
    const at = (s: string): number => md.indexOf(s);
    expect(at('## Summary')).toBeGreaterThan(0);
    expect(at('## Summary')).toBeLessThan(at("## The seed's comparative table"));
    expect(md).toContain('![How accurate? Test metric per task](summary-accuracy.svg)');
    expect(md).toContain('## Memory horizon');
    // LSTM solves up to T = 200 in every seed, the GRU up to 400, the RNN nothing.
    expect(md).toMatch(/\| lstm \| .*\| T=200 \| 200, 200, 200 \|/);
    expect(md).toMatch(/\| gru \| .*\| T=400 \| 400, 400, 400 \|/);
    expect(md).toMatch(/\| rnn \| .*\| none \| 0, 0, 0 \|/);
    expect(md).toContain('below 10% of the mean predictor');
    expect(md).toContain('## Training compute');
    expect(md).toMatch(/\| text-classify \| gru \(equal compute\) \| 27 \|/);
    expect(md).toContain('## Convergence');
    expect(md).toContain('## How the gates behave');
    expect(md).toMatch(/\| memory-adding-t400 \| lstm \| forget \| 0\.5 \| 50% \| 50% \|/);
  });

  it('decides "LSTM is better on long dependencies" where the models differ, from the horizon per seed', () => {
    const long = sweep.verdicts.filter((v) => v.claim === 'lstm-better-long-dependencies');
    expect(long.map((v) => `${v.measure}/${v.task}/${v.verdict}`)).toEqual([
      'horizon T/memory-adding-t400/contradicted',
      // Only at T = 400 do the outcomes differ (both solve 50-200).
      'metric:mse/memory-adding-t400/contradicted',
    ]);
    expect(sweep.verdicts.filter((v) => v.claim === 'gated-beats-rnn-long-dependencies').map((v) => v.verdict)).toEqual(['supported', 'supported']);
  });

  it('report.html puts the summary charts first and renders the horizon, compute and gate charts', async () => {
    const html = await reportHtml(sweep);
    const ids = buildCharts(sweep).map((c) => c.id);
    for (const id of ['metric-vs-time', 'metric-vs-flops', 'memory-horizon', 'gate-histograms', 'gate-saturation', 'gate-heatmap']) expect(ids).toContain(id);
    for (const id of ['summary-accuracy', 'summary-cost', 'summary-horizon']) expect(html.indexOf(`id="chart-${id}"`)).toBeLessThan(html.indexOf("comparative table, checked</h2>"));
    expect(html.indexOf('id="chart-summary-accuracy"')).toBeGreaterThan(0);
    expect(html.match(/<svg[\s>]/g)?.length).toBe(ids.length + 3);
    // The heatmap shows the longest T the LSTM or GRU solves (the GRU: 400); gate charts leave the other lengths out.
    expect(heatmapRecords(sweep).map((g) => `${g.task}/${g.model}`)).toEqual(['memory-adding-t400/lstm', 'memory-adding-t400/gru']);
    const histograms = html.slice(html.indexOf('id="chart-gate-histograms"'));
    expect(histograms.slice(0, histograms.indexOf('</figure>'))).toMatch(/memory-adding-t400<\/text>/);
    expect(histograms.slice(0, histograms.indexOf('</figure>'))).not.toMatch(/memory-adding-t100<\/text>/);
    // The heatmap draws one rect per (step, unit): 6 steps × 2 units × 2 models.
    const figure = html.slice(html.indexOf('id="chart-gate-heatmap"'));
    const heatmap = figure.slice(figure.indexOf('class="mark-rect'), figure.indexOf('</figure>'));
    expect(heatmap.match(/<path /g)?.length).toBeGreaterThanOrEqual(24);
    expect(html.slice(html.indexOf('id="chart-summary-horizon"')).match(/class="mark-line/)).not.toBeNull();
  });

  it('the convergence table names the best validation checkpoint each seed was scored at, where the budget keeps it', () => {
    const [first, ...rest] = results.runs;
    if (first === undefined) throw new Error('the synthetic results have no entry');
    const kept = { ...first, seeds: first.seeds.map((s, i) => ({ ...s, bestStep: [80, 120, 60][i] ?? 0 })) };
    const md = reportMarkdown({ ...results, runs: [kept, ...rest] });
    const row = md.split('\n').find((line) => line.startsWith(`| ${first.task} | `) && line.includes('best validation checkpoint'));
    expect(row).toContain(`scored at the best validation checkpoint, step 80/120/60 of ${first.config.steps}`);
    expect(md.split('\n').filter((line) => line.includes('scored at the best validation checkpoint'))).toHaveLength(1);
  });

  it('report.md states what every score was computed on: the split, the sample size and how it was drawn', () => {
    const md = reportMarkdown(results);
    expect(md).toContain('## Evaluation sets');
    expect(md).toContain('| memory-adding | all 1000 sequences of the test split | 200 of 1000 test sequences, random sample (seed 0) |');
  });

  it('report.html is self-contained and has one inline SVG per chart', async () => {
    const html = await reportHtml(results);
    const charts = buildCharts(results);
    expect(charts.map((c) => c.id)).toEqual([
      'learning-curves', 'eval-curves', 'metric-vs-params', 'speed', 'memory', 'gradient-flow', 'metric-vs-time', 'metric-vs-flops', 'gate-histograms', 'gate-saturation',
    ]);
    for (const c of charts) expect(html).toContain(`id="chart-${c.id}"`);
    // Plus the two summary charts (accuracy, cost; no sweep here so no horizon).
    expect(html.match(/<svg[\s>]/g)?.length).toBe(charts.length + 2);
    expect(html).not.toMatch(/<script|<link|src="http/);
    // Every chart has marks drawn, not just an empty frame.
    expect(html.match(/class="mark-line/g)?.length).toBeGreaterThan(0);
    expect(html.match(/class="mark-rect/g)?.length).toBeGreaterThan(0);
  });

  it('lists task-level baselines once per task, not once per model', () => {
    const withBaseline = {
      ...results,
      runs: results.runs.map((r) => ({ ...r, extraMetrics: { ...r.extraMetrics, 'baseline.seasonalNaive.mase': { mean: 1.773, std: 0 } } })),
    };
    const md = reportMarkdown(withBaseline);
    expect(md).toContain('## Baselines');
    expect(md.match(/\| seasonalNaive\.mase \| 1\.773 \|/g)).toHaveLength(2); // two tasks
    expect(md).not.toMatch(/\| baseline\.seasonalNaive\.mase \|/);
  });

  it('writes both files into the run directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gated-report-'));
    await writeReport(dir, results);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('# LSTM vs GRU');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<svg');
    expect(readFileSync(join(dir, 'summary-accuracy.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('the terminal summary lists every entry and every verdict', () => {
    const text = summaryTable(results);
    expect(text.split('\n').filter((l) => l.startsWith('memory-adding'))).toHaveLength(5);
    expect(text).toContain('supported');
    expect(text).toContain('gru (equal params)');
  });
});
