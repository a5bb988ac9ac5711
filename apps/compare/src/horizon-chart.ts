import { type Chart, MODEL_COLORS } from './chart-style.js';
import { MEAN_PREDICTOR_MSE, memoryHorizons } from './horizon.js';
import type { ResultsFile } from './results.js';
import { SOLVED_FRACTION } from './tasks/horizon-sweep.js';

/** Rows of the horizon chart: one per model and T, mean ± std of the test MSE over seeds. */
export function horizonRows(results: ResultsFile): { model: string; T: number; mse: number; low: number; high: number }[] {
  return memoryHorizons(results.runs).flatMap((h) =>
    h.points.map((p) => ({ model: h.model, T: p.seqLen, mse: p.mean, low: Math.max(1e-6, p.mean - p.std), high: p.mean + p.std })),
  );
}

/** Test MSE of the adding problem against its length T per model (mean ± std), with the "solved" line. */
export function horizonChart(results: ResultsFile, size = { width: 420, height: 220 }): Chart | null {
  const rows = horizonRows(results);
  if (rows.length === 0) return null;
  const threshold = SOLVED_FRACTION * MEAN_PREDICTOR_MSE;
  const y = { type: 'quantitative', scale: { type: 'log' }, title: 'test MSE (log)' };
  return {
    id: 'memory-horizon',
    title: 'Memory horizon: adding-problem MSE against sequence length',
    caption: `Mean ± std over seeds. Dashed: the mean predictor (${MEAN_PREDICTOR_MSE.toFixed(3)}); dotted: "solved" (${threshold.toFixed(4)}, ${SOLVED_FRACTION * 100}% of it).`,
    spec: {
      ...size,
      layer: [
        { data: { values: rows }, mark: { type: 'rule' }, encoding: { x: { field: 'T', type: 'quantitative', scale: { type: 'log', base: 2 }, title: 'sequence length T' }, y: { field: 'low', ...y }, y2: { field: 'high' }, color: { field: 'model', type: 'nominal', scale: MODEL_COLORS } } },
        { data: { values: rows }, mark: { type: 'line', point: true }, encoding: { x: { field: 'T', type: 'quantitative' }, y: { field: 'mse', type: 'quantitative' }, color: { field: 'model', type: 'nominal', scale: MODEL_COLORS, title: 'model' } } },
        { data: { values: rows }, mark: { type: 'rule', strokeDash: [6, 3], color: '#555' }, encoding: { y: { datum: MEAN_PREDICTOR_MSE } } },
        { data: { values: rows }, mark: { type: 'rule', strokeDash: [2, 2], color: '#2ca02c' }, encoding: { y: { datum: threshold } } },
      ],
    },
  };
}
