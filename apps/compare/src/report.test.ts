import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCharts } from './charts.js';
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
    expect(md).toContain('## Gradient flow (memory-adding)');
  });

  it('report.md states what every score was computed on: the split, the sample size and how it was drawn', () => {
    const md = reportMarkdown(results);
    expect(md).toContain('## Evaluation sets');
    expect(md).toContain('| memory-adding | all 1000 sequences of the test split | 200 of 1000 test sequences, random sample (seed 0) |');
  });

  it('report.html is self-contained and has one inline SVG per chart', async () => {
    const html = await reportHtml(results);
    const charts = buildCharts(results);
    expect(charts.map((c) => c.id)).toEqual(['learning-curves', 'eval-curves', 'metric-vs-params', 'speed', 'memory', 'gradient-flow']);
    for (const c of charts) expect(html).toContain(`id="chart-${c.id}"`);
    expect(html.match(/<svg[\s>]/g)?.length).toBe(charts.length);
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
  });

  it('the terminal summary lists every entry and every verdict', () => {
    const text = summaryTable(results);
    expect(text.split('\n').filter((l) => l.startsWith('memory-adding'))).toHaveLength(4);
    expect(text).toContain('supported');
    expect(text).toContain('gru (equal params)');
  });
});
