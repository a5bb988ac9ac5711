import * as vega from 'vega';
import * as vl from 'vega-lite';
import { sizedLabel } from './format.js';
import { TASK_IDS } from './grid.js';
import type { ResultsFile } from './results.js';

import { type Chart, type ChartSpec, MODEL_COLORS, color, facet } from './chart-style.js';
import { computeCharts } from './compute-charts.js';
import { gateCharts } from './gate-charts.js';
import { attentionCharts } from './g2p-report.js';
import { horizonChart } from './horizon-chart.js';

export type { Chart, ChartSpec } from './chart-style.js';

const label = sizedLabel;

/** The report's Vega-Lite charts, built from results (charts without data are left out). */
export function buildCharts(results: ResultsFile): Chart[] {
  const charts: Chart[] = [];
  const lossRows = results.runs.flatMap((r) =>
    r.curves.step.map((step, i) => ({ task: r.task, model: label(r.model, r.sizing), step, loss: r.curves.trainLoss[i] })),
  );
  if (lossRows.length > 0) {
    charts.push({
      id: 'learning-curves',
      title: 'Learning curves',
      caption: 'Training loss against optimizer step, mean over seeds.',
      spec: { data: { values: lossRows }, ...facet(), spec: { width: 220, height: 150, mark: { type: 'line' }, encoding: {
        x: { field: 'step', type: 'quantitative' }, y: { field: 'loss', type: 'quantitative', scale: { zero: false } }, color } } },
    });
  }
  const evalRows = results.runs.flatMap((r) =>
    r.curves.evalStep.map((step, i) => ({ task: r.task, model: label(r.model, r.sizing), step, metric: r.curves.evalMetric[i], name: r.metric.name })),
  );
  if (evalRows.length > 0) {
    charts.push({
      id: 'eval-curves',
      title: 'Test metric during training',
      caption: 'The task metric on a fixed held-out subset (validation split for speech and CO2) at a few points of training, mean over seeds.',
      spec: { data: { values: evalRows }, ...facet(), spec: { width: 220, height: 150, mark: { type: 'line', point: true }, encoding: {
        x: { field: 'step', type: 'quantitative' }, y: { field: 'metric', type: 'quantitative', scale: { zero: false } }, color } } },
    });
  }
  const metricLabel = (r: ResultsFile['runs'][number]): string => `${r.task} (${r.metric.name}${r.metric.higherIsBetter ? ' ↑' : ' ↓'})`;
  const labelOrder = [...new Set([...results.runs].sort((a, b) => TASK_IDS.indexOf(a.task) - TASK_IDS.indexOf(b.task)).map(metricLabel))];
  const pointRows = results.runs.map((r) => ({
    task: metricLabel(r),
    model: label(r.model, r.sizing),
    params: r.params,
    mean: r.metric.mean,
    low: r.metric.mean - r.metric.std,
    high: r.metric.mean + r.metric.std,
  }));
  if (pointRows.length > 0) {
    charts.push({
      id: 'metric-vs-params',
      title: 'Task metric against parameters',
      caption: 'Mean ± std over seeds on the test split; the arrow says which direction is better.',
      spec: { data: { values: pointRows }, ...facet(3, labelOrder), spec: { width: 220, height: 150, layer: [
        { mark: { type: 'rule' }, encoding: { x: { field: 'params', type: 'quantitative', scale: { zero: false } }, y: { field: 'low', type: 'quantitative', scale: { zero: false }, title: 'metric' }, y2: { field: 'high' }, color } },
        { mark: { type: 'point', filled: true, size: 60 }, encoding: { x: { field: 'params', type: 'quantitative' }, y: { field: 'mean', type: 'quantitative' }, color } },
      ] } },
    });
  }
  const speedRows = results.runs.flatMap((r) => [
    { task: r.task, model: label(r.model, r.sizing), measure: 'train step (ms)', value: r.trainStepMs },
    { task: r.task, model: label(r.model, r.sizing), measure: 'latency tfjs, batch 1 (ms)', value: r.inferLatencyMs.tfjs },
    ...(r.inferLatencyMs.onnxruntime === null ? [] : [{ task: r.task, model: label(r.model, r.sizing), measure: 'latency onnxruntime, batch 1 (ms)', value: r.inferLatencyMs.onnxruntime }]),
  ]);
  if (speedRows.length > 0) {
    charts.push({
      id: 'speed',
      title: 'Speed',
      caption: 'Milliseconds per training step and per batch-1 inference (tfjs and onnxruntime-node), mean over seeds; lower is faster.',
      spec: { data: { values: speedRows }, facet: { row: { field: 'measure', title: null }, column: { field: 'task', title: null, sort: TASK_IDS } }, resolve: { scale: { x: 'independent' } },
        spec: { width: 130, height: 70, mark: 'bar', encoding: { y: { field: 'model', type: 'nominal', title: null, sort: MODEL_COLORS.domain }, x: { field: 'value', type: 'quantitative', title: 'ms' }, color } } },
    });
  }
  const memoryRows = results.runs.map((r) => ({ task: r.task, model: label(r.model, r.sizing), mib: r.peakTensorBytes / 2 ** 20 }));
  if (memoryRows.length > 0) {
    charts.push({
      id: 'memory',
      title: 'Memory',
      caption: 'Peak tensor memory during one training step (MiB), from the tfjs profiler.',
      spec: { data: { values: memoryRows }, ...facet(5), spec: { width: 130, height: 90, mark: 'bar', encoding: {
        x: { field: 'model', type: 'nominal', sort: MODEL_COLORS.domain, title: null }, y: { field: 'mib', type: 'quantitative', title: 'MiB' }, color } } },
    });
  }
  // The probe at the longest T (the sweep's longest length when it ran).
  const flowT = Math.max(0, ...results.gradientFlow.map((g) => g.seqLen));
  const flows = results.gradientFlow.filter((g) => g.seqLen === flowT);
  const flowRows = flows.flatMap((g) =>
    (['initial', 'trained'] as const).flatMap((phase) =>
      g[phase].map((norm, t) => ({ model: g.model, phase: phase === 'initial' ? 'at initialisation' : 'after training', seed: g.seed, t, norm: Math.max(norm, 1e-30) })),
    ),
  );
  if (flowRows.length > 0) {
    charts.push({
      id: 'gradient-flow',
      title: `Gradient flow at T = ${flowT}`,
      caption: `‖∂L/∂h_t‖ over time steps t (log scale) on ${[...new Set(flows.map((g) => g.task))].join(', ')}: how much of the loss signal reaches early steps.`,
      spec: { data: { values: flowRows }, facet: { column: { field: 'phase', title: null, sort: ['at initialisation', 'after training'] } }, spec: { width: 300, height: 180, mark: 'line', encoding: {
        x: { field: 't', type: 'quantitative', title: 'time step t' }, y: { aggregate: 'mean', field: 'norm', type: 'quantitative', scale: { type: 'log' }, title: '‖∂L/∂h_t‖' },
        color: { field: 'model', type: 'nominal', scale: MODEL_COLORS } } } },
    });
  }
  charts.push(...computeCharts(results));
  const horizon = horizonChart(results);
  if (horizon) charts.push(horizon);
  charts.push(...gateCharts(results));
  charts.push(...attentionCharts(results));
  return charts;
}

/** Renders a Vega-Lite spec to a standalone SVG string in Node (no browser, no canvas). */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const compiled = vl.compile({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...spec } as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
