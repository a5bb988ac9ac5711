import { type Chart, MODEL_COLORS } from './chart-style.js';
import { TASK_IDS, isHorizonTask } from './grid.js';
import { horizonChart } from './horizon-chart.js';
import type { ResultsFile, RunEntry } from './results.js';
import { sizedLabel } from './format.js';

const modelColor = { field: 'model', type: 'nominal', scale: MODEL_COLORS, title: 'model' };

/** The entries a summary compares on a task: every model at equal hidden size and the GRU at equal compute. */
const summarised = (r: RunEntry): boolean => r.sizing === 'equal-hidden' || r.sizing === 'equal-compute';

/**
 * The one-screen summary at the top of the report, one chart per question of the seed's table: how accurate
 * (task metric with error bars), what it costs (parameters, step time, peak memory relative to the LSTM) and how
 * far back each model remembers (the memory horizon).
 */
export function summaryCharts(results: ResultsFile): Chart[] {
  const charts: Chart[] = [];
  const runs = results.runs.filter((r) => summarised(r) && !isHorizonTask(r.task));
  const metricLabel = (r: RunEntry): string => `${r.task} (${r.metric.name} ${r.metric.higherIsBetter ? '↑' : '↓'})`;
  const order = [...runs].sort((a, b) => TASK_IDS.indexOf(a.task) - TASK_IDS.indexOf(b.task)).map(metricLabel);
  const accuracy = runs.map((r) => ({
    task: metricLabel(r),
    model: sizedLabel(r.model, r.sizing),
    mean: r.metric.mean,
    low: r.metric.mean - r.metric.std,
    high: r.metric.mean + r.metric.std,
  }));
  if (accuracy.length > 0) {
    const x = { field: 'model', type: 'nominal', sort: MODEL_COLORS.domain, title: null, axis: { labels: false, ticks: false } };
    charts.push({
      id: 'summary-accuracy',
      title: 'How accurate? Test metric per task',
      caption: 'Mean ± std over seeds on each task’s held-out split (↑ higher is better, ↓ lower is better).',
      spec: { data: { values: accuracy }, facet: { field: 'task', type: 'nominal', title: null, sort: [...new Set(order)] }, columns: 5, resolve: { scale: { y: 'independent' } },
        spec: { width: 110, height: 110, layer: [
          { mark: 'rule', encoding: { x, y: { field: 'low', type: 'quantitative', scale: { zero: false }, title: null }, y2: { field: 'high' }, color: modelColor } },
          { mark: { type: 'point', filled: true, size: 70 }, encoding: { x, y: { field: 'mean', type: 'quantitative' }, color: modelColor } },
        ] } },
    });
  }
  const cost = results.runs
    .filter((r) => summarised(r))
    .flatMap((r) => {
      const lstm = results.runs.find((e) => e.task === r.task && e.model === 'lstm' && e.sizing === 'equal-hidden');
      if (!lstm) return [];
      const model = sizedLabel(r.model, r.sizing);
      const measures: [string, number][] = [
        ['parameters', r.params / lstm.params],
        ['train step time', r.trainStepMs / lstm.trainStepMs],
        ['peak step memory', r.peakTensorBytes / lstm.peakTensorBytes],
      ];
      return r.sizing === 'equal-compute' ? [] : measures.map(([measure, ratio]) => ({ task: r.task, model, measure, ratio }));
    });
  if (cost.length > 0) {
    charts.push({
      id: 'summary-cost',
      title: 'What does it cost? Relative to the LSTM',
      caption: 'Parameters, median training-step time and peak tensor memory of one training step, each divided by the LSTM’s on the same task (1 = same as LSTM; below 1 = cheaper).',
      spec: { data: { values: cost }, facet: { column: { field: 'measure', title: null, sort: ['parameters', 'train step time', 'peak step memory'] } },
        spec: { width: 170, height: 150, layer: [
          { mark: { type: 'bar' }, encoding: { y: { field: 'task', type: 'nominal', sort: TASK_IDS, title: null }, yOffset: { field: 'model', sort: MODEL_COLORS.domain }, x: { field: 'ratio', type: 'quantitative', title: '× LSTM' }, color: modelColor } },
          { mark: { type: 'rule', strokeDash: [4, 3], color: '#333' }, encoding: { x: { datum: 1 } } },
        ] } },
    });
  }
  const horizon = horizonChart(results, { width: 300, height: 150 });
  if (horizon) charts.push({ ...horizon, id: 'summary-horizon', title: 'How far back does it remember? Memory horizon' });
  return charts;
}
