import { join } from 'node:path';
import { writeFileAtomic } from '@gated/tensor';
import { buildCharts, renderSvg } from './charts.js';
import { TABLE_COLUMNS, duration, modelLabel, num, tableRow } from './format.js';
import { reportSections } from './report-sections.js';
import { summaryCharts } from './summary-charts.js';
import type { EvaluationSet, ResultsFile } from './results.js';

const VERDICT_MARK = { supported: '✓ supported', contradicted: '✗ contradicted', 'not significant': '– not significant' } as const;

function runInfo(r: ResultsFile): string[] {
  const m = r.machine;
  const c = r.config;
  const took = r.finishedAt ? duration(Date.parse(r.finishedAt) - Date.parse(c.startedAt)) : 'unfinished (interrupted or still running)';
  return [
    `Machine: ${m.cpuModel} × ${m.cpus}, ${(m.totalMemBytes / 2 ** 30).toFixed(1)} GiB, ${m.platform}/${m.arch}, Node ${m.node}`,
    `Runtimes: tfjs ${m.tfjsVersion} (${m.tfjsBackend} backend), onnxruntime-node ${m.onnxruntimeVersion ?? 'unavailable'}`,
    ...(m.kernels ? [`Recurrent kernels: ${m.kernels.path}${m.kernels.isa ? ` (${m.kernels.isa})` : ''}, ${m.kernels.threads} thread(s)`] : []),
    `Grid: tasks ${c.tasks.join(', ')}; models ${c.models.join(', ')}; seeds ${c.seeds.join(', ')}${c.quick ? ' (--quick budgets)' : ''}${
      c.shard ? `; shard ${c.shard.index}/${c.shard.count}` : ''
    }`,
    `Started ${c.startedAt}; took ${took}.`,
    ...measurementInfo(r),
  ];
}

function measurementInfo(r: ResultsFile): string[] {
  const m = r.measurement;
  const p = r.provenance;
  const lines = [
    `Measurement: trained in ${m.trainingWorkers === 1 ? 'the main process' : `${m.trainingWorkers} worker processes in parallel`}${m.trainingKernelThreads === undefined ? '' : `, ${m.trainingKernelThreads} kernel thread(s) each`}; speed and memory (step time, latency, throughput, peak tensor bytes, RSS) measured in a separate phase before training, alone, one seed of one entry at a time (${m.speedSteps.warmup} warm-up + ${m.speedSteps.timed} timed steps).`,
    `Code: @gated/compare ${p.version} at ${p.commit ?? 'an unknown commit'}; config ${p.configHash.slice(0, 12)}.`,
  ];
  if (r.speedMachines) {
    lines.push(
      `Speed numbers come from ${r.speedMachines.length} different machines and are not compared across them (speed verdicts between entries of different machines are left out): ${r.speedMachines
        .map((s) => `${s.fingerprint} measured ${s.units.join(', ')}`)
        .join('; ')}.`,
    );
  }
  return lines;
}

function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (s: string): string => s.replaceAll('|', '\\|');
  return [`| ${header.map(esc).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

function verdictRows(r: ResultsFile): string[][] {
  return r.verdicts.map((v) => [v.aspect, v.text, v.task, VERDICT_MARK[v.verdict], v.explanation]);
}

function flowRows(r: ResultsFile): string[][] {
  return r.gradientFlow.map((g) => {
    const ratio = (series: readonly number[]): string => num((series[0] ?? Number.NaN) / (series.at(-1) ?? Number.NaN));
    return [g.task, g.model, String(g.seed), String(g.seqLen), ratio(g.initial), ratio(g.trained)];
  });
}

const FLOW_HEADER = ['task', 'model', 'seed', 'T', '‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ at init', 'after training'];

function taskRows(r: ResultsFile, sizing: 'equal-hidden' | 'equal-params'): string[][] {
  return r.runs
    .filter((e) => (sizing === 'equal-hidden' ? e.sizing === 'equal-hidden' : e.sizing === 'equal-params' || (e.model === 'lstm' && e.sizing === 'equal-hidden')))
    .map(tableRow);
}

/** Extra metrics named `baseline.…` belong to the task (the same for every model) and are listed once per task. */
const isBaseline = (name: string): boolean => name.startsWith('baseline.');

function extraRows(r: ResultsFile): string[][] {
  return r.runs.flatMap((e) =>
    Object.entries(e.extraMetrics)
      .filter(([name]) => !isBaseline(name))
      .map(([name, v]) => [e.task, modelLabel(e), name, `${num(v.mean, 4)} ± ${num(v.std, 2)}`]),
  );
}

function baselineRows(r: ResultsFile): string[][] {
  const seen = new Set<string>();
  return r.runs.flatMap((e) =>
    Object.entries(e.extraMetrics)
      .filter(([name]) => isBaseline(name) && !seen.has(`${e.task}/${name}`))
      .map(([name, v]) => {
        seen.add(`${e.task}/${name}`);
        return [e.task, name.slice('baseline.'.length), num(v.mean, 4)];
      }),
  );
}

const BASELINE_HEADER = ['task', 'baseline', 'score'];

const describeSet = (s: EvaluationSet): string =>
  s.sampling === 'all' ? `all ${s.examples} ${s.unit} of the ${s.split} split` : `${s.examples} of ${s.of} ${s.split} ${s.unit}, ${s.sampling} sample (seed ${s.seed})`;

/** One row per task: what its metric and its learning curves were computed on. */
function evaluationRows(r: ResultsFile): string[][] {
  const seen = new Set<string>();
  return r.runs.flatMap((e) => {
    if (seen.has(e.task) || e.config.evaluation === undefined) return [];
    seen.add(e.task);
    return [[e.task, describeSet(e.config.evaluation.final), describeSet(e.config.evaluation.curve)]];
  });
}

const EVALUATION_HEADER = ['task', 'metric computed on', 'learning curves computed on'];

const NOTES = [
  'Numbers are means over seeds; the metric shows mean ± standard deviation. A claim is "supported" when the 95% Student-t intervals of the two models are disjoint in the claimed direction, "contradicted" when they are disjoint the other way, and "not significant" when they overlap. "Similar performance" is supported when no difference is detected. The speed claims (training step, batch-1 latency) are decided, where the models were raced, by a paired t-test on the log of the per-round GRU/LSTM ratios of CPU time over 16 rounds timed interleaved in one process: supported when the 95% interval of the ratio lies below 1, contradicted when above 1.',
  'Equal params: the GRU is widened until its whole model (embedding, recurrent layer and head) has the LSTM’s parameter count as closely as a whole hidden unit allows; the LSTM row is the equal-hidden one (it is the reference).',
  'Training time per step is the median over timed steps after warm-up; epoch time is that median times the steps in one pass over the training split. Latency is the median of batch-1 forward passes; throughput is sequences per second at batch 64. Peak tensor memory is measured by the tfjs profiler around one training step; RSS is the process’s resident memory after the speed phase’s timed steps.',
];

/**
 * report.md: run info, the summary charts (SVG files written beside it by {@link writeReport}), the verdicts on
 * the seed's table, the headline tables, gradient flow, memory horizon, compute, convergence, gates, failures.
 */
export function reportMarkdown(r: ResultsFile): string {
  const out: string[] = ['# LSTM vs GRU vs vanilla RNN, measured', '', ...runInfo(r).map((l) => `- ${l}`), ''];
  const summary = summaryCharts(r);
  if (summary.length > 0) out.push('## Summary', '', ...summary.map((c) => `![${c.title}](${c.id}.svg)`), '');
  out.push("## The seed's comparative table, checked", '', mdTable(['aspect', 'claim', 'task', 'verdict', 'evidence'], verdictRows(r)), '');
  out.push('## Results at equal hidden size (headline)', '', mdTable(TABLE_COLUMNS, taskRows(r, 'equal-hidden')), '');
  const ep = taskRows(r, 'equal-params');
  if (r.runs.some((e) => e.sizing === 'equal-params')) out.push('## Results at equal parameter count', '', mdTable(TABLE_COLUMNS, ep), '');
  const evaluation = evaluationRows(r);
  if (evaluation.length > 0) out.push('## Evaluation sets', '', mdTable(EVALUATION_HEADER, evaluation), '');
  const extras = extraRows(r);
  if (extras.length > 0) out.push('## Secondary metrics', '', mdTable(['task', 'model', 'metric', 'mean ± std'], extras), '');
  const baselines = baselineRows(r);
  if (baselines.length > 0) out.push('## Baselines', '', mdTable(BASELINE_HEADER, baselines), '');
  if (r.gradientFlow.length > 0) out.push('## Gradient flow', '', mdTable(FLOW_HEADER, flowRows(r)), '');
  for (const s of reportSections(r)) out.push(`## ${s.title}`, '', s.lead, '', mdTable(s.header, s.rows), '');
  if (r.failures.length > 0) {
    out.push('## Failed units', '', ...r.failures.map((f) => `- ${f.task}/${f.model}/${f.sizing}: \`${f.code}\` ${f.message}`), '');
  }
  out.push('## How to read this', '', ...NOTES.map((n) => `- ${n}`), '', 'Charts: open report.html.', '');
  return out.join('\n');
}

const esc = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

function htmlTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const CSS = `body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0;font-size:.85rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}
th{background:#f4f4f4}td:nth-child(-n+2){text-align:left}figure{margin:1.5rem 0;overflow-x:auto}figcaption{color:#555;font-size:.9rem}
.verdicts td,.verdicts th{text-align:left}.summary{display:flex;flex-wrap:wrap;gap:0 1.5rem}.summary figure{margin:.5rem 0}
.summary h3{margin:.2rem 0;font-size:1rem}`;

/**
 * report.html: the same content as report.md plus the charts, rendered to inline SVG in Node with Vega-Lite —
 * no scripts, no network: it opens offline in any browser.
 */
export async function reportHtml(r: ResultsFile): Promise<string> {
  const charts = buildCharts(r);
  const summaryFigures: string[] = [];
  for (const chart of summaryCharts(r)) {
    const svg = await renderSvg(chart.spec);
    summaryFigures.push(`<figure id="chart-${chart.id}" class="chart"><h3>${esc(chart.title)}</h3>${svg}<figcaption>${esc(chart.caption)}</figcaption></figure>`);
  }
  const figures: string[] = [];
  for (const chart of charts) {
    const svg = await renderSvg(chart.spec);
    figures.push(`<figure id="chart-${chart.id}" class="chart"><h3>${esc(chart.title)}</h3>${svg}<figcaption>${esc(chart.caption)}</figcaption></figure>`);
  }
  const body = [
    '<h1>LSTM vs GRU vs vanilla RNN, measured</h1>',
    `<ul>${runInfo(r).map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`,
    ...(summaryFigures.length > 0 ? ['<h2>Summary</h2>', `<div class="summary">${summaryFigures.join('')}</div>`] : []),
    "<h2>The seed's comparative table, checked</h2>",
    `<div class="verdicts">${htmlTable(['aspect', 'claim', 'task', 'verdict', 'evidence'], verdictRows(r))}</div>`,
    '<h2>Results at equal hidden size (headline)</h2>',
    htmlTable(TABLE_COLUMNS, taskRows(r, 'equal-hidden')),
    ...(r.runs.some((e) => e.sizing === 'equal-params') ? ['<h2>Results at equal parameter count</h2>', htmlTable(TABLE_COLUMNS, taskRows(r, 'equal-params'))] : []),
    ...(evaluationRows(r).length > 0 ? ['<h2>Evaluation sets</h2>', htmlTable(EVALUATION_HEADER, evaluationRows(r))] : []),
    ...(extraRows(r).length > 0 ? ['<h2>Secondary metrics</h2>', htmlTable(['task', 'model', 'metric', 'mean ± std'], extraRows(r))] : []),
    ...(baselineRows(r).length > 0 ? ['<h2>Baselines</h2>', htmlTable(BASELINE_HEADER, baselineRows(r))] : []),
    ...(r.gradientFlow.length > 0 ? ['<h2>Gradient flow</h2>', htmlTable(FLOW_HEADER, flowRows(r))] : []),
    ...reportSections(r).flatMap((s) => [`<h2 id="${s.id}">${esc(s.title)}</h2>`, `<p>${esc(s.lead)}</p>`, htmlTable(s.header, s.rows)]),
    '<h2>Charts</h2>',
    ...figures,
    ...(r.failures.length > 0 ? ['<h2>Failed units</h2>', `<ul>${r.failures.map((f) => `<li>${esc(`${f.task}/${f.model}/${f.sizing}: ${f.code} ${f.message}`)}</li>`).join('')}</ul>`] : []),
    '<h2>How to read this</h2>',
    `<ul>${NOTES.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`,
  ];
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>gated: LSTM vs GRU vs RNN</title><style>${CSS}</style></head><body>\n${body.join('\n')}\n</body></html>\n`;
}

/** Writes report.md, its summary charts as SVG files, and report.html into a run directory (atomically). */
export async function writeReport(dir: string, results: ResultsFile): Promise<void> {
  for (const chart of summaryCharts(results)) await writeFileAtomic(join(dir, `${chart.id}.svg`), await renderSvg(chart.spec));
  await writeFileAtomic(join(dir, 'report.md'), reportMarkdown(results));
  await writeFileAtomic(join(dir, 'report.html'), await reportHtml(results));
}

