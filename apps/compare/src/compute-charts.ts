import { type Chart, color, facet } from './chart-style.js';
import { sizedLabel } from './format.js';
import type { ResultsFile } from './results.js';

/**
 * The held-out metric against training time and against training FLOPs (mean over seeds at each eval point):
 * which model is ahead for the same wall-clock or the same compute, not only at the end.
 */
export function computeCharts(results: ResultsFile): Chart[] {
  const charts: Chart[] = [];
  const rows = results.runs.flatMap((r) =>
    r.curves.evalStep.map((step, i) => {
      const trainMs = r.curves.evalTrainMs?.[i];
      return {
        task: r.task,
        model: sizedLabel(r.model, r.sizing),
        seconds: trainMs !== undefined ? trainMs / 1000 : null,
        tflop: r.config.stepFlops !== undefined ? (step * r.config.stepFlops) / 1e12 : null,
        metric: r.curves.evalMetric[i],
      };
    }),
  );
  const chart = (id: string, title: string, field: 'seconds' | 'tflop', axis: string, caption: string): Chart | null => {
    const values = rows.filter((row) => row[field] !== null);
    if (values.length === 0) return null;
    return {
      id,
      title,
      caption,
      spec: { data: { values }, ...facet(), spec: { width: 220, height: 150, mark: { type: 'line', point: true }, encoding: {
        x: { field, type: 'quantitative', title: axis }, y: { field: 'metric', type: 'quantitative', scale: { zero: false } }, color } } },
    };
  };
  const time = chart('metric-vs-time', 'Test metric against training time', 'seconds', 'training time (s)',
    'The held-out metric at each evaluation against the training time spent to reach it (evaluation excluded), mean over seeds.');
  const flops = chart('metric-vs-flops', 'Test metric against training FLOPs', 'tflop', 'training TFLOP',
    'The held-out metric against the FLOPs spent on training so far (steps × FLOPs per step, counted from the architecture), mean over seeds.');
  if (time) charts.push(time);
  if (flops) charts.push(flops);
  return charts;
}
