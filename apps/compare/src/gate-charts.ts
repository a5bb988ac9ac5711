import { type Chart, MODEL_COLORS } from './chart-style.js';
import { TASK_IDS, isHorizonTask } from './grid.js';
import { horizonLength } from './tasks/horizon-sweep.js';
import { memoryHorizons } from './horizon.js';
import type { GateStatsRecord, ResultsFile } from './results.js';

/**
 * The record whose heatmap the report shows: on the sweep, the longest T that the LSTM or GRU solves (where
 * the gates have learned to hold the first marked value), else the shortest T; otherwise any record with one.
 */
export function heatmapRecords(results: ResultsFile): GateStatsRecord[] {
  const withMap = (results.gateStats ?? []).filter((g) => g.heatmap !== undefined);
  const [firstWithMap] = withMap;
  if (firstWithMap === undefined) return [];
  const sweep = withMap.filter((g) => isHorizonTask(g.task));
  if (sweep.length === 0) return withMap.filter((g) => g.task === firstWithMap.task);
  const solved = memoryHorizons(results.runs).filter((h) => h.model !== 'rnn').map((h) => h.horizon).filter((T) => T > 0);
  const lengths = [...new Set(sweep.map((g) => horizonLength(g.task)))].sort((a, b) => a - b);
  // `lengths` is not empty (the sweep has records).
  const T = solved.length > 0 && lengths.includes(Math.max(...solved)) ? Math.max(...solved) : lengths[0];
  return sweep.filter((g) => horizonLength(g.task) === T);
}

/** The tasks whose gate statistics are charted: every task outside the sweep, and the sweep's heatmap length. */
function chartedRecords(results: ResultsFile): GateStatsRecord[] {
  const heat = new Set(heatmapRecords(results).map((g) => g.task));
  return (results.gateStats ?? []).filter((g) => !isHorizonTask(g.task) || heat.has(g.task));
}

/** Gate histograms, per-unit saturation (Karpathy et al. 2015, Fig. 3) and the gate-over-time heatmap. */
export function gateCharts(results: ResultsFile): Chart[] {
  const charts: Chart[] = [];
  const records = chartedRecords(results);
  const histRows = records.flatMap((r) =>
    r.gates.flatMap((g) => {
      const { counts, edges } = g.histogram;
      const total = counts.reduce((s, c) => s + c, 0) || 1;
      // Bin i spans edges i and i + 1 (a missing edge makes the midpoint NaN, as arithmetic on undefined did).
      return counts.map((c, i) => ({
        task: r.task,
        model: r.model,
        gate: `${r.model} ${g.gate}`,
        value: ((edges[i] ?? Number.NaN) + (edges[i + 1] ?? Number.NaN)) / 2,
        share: c / total,
      }));
    }),
  );
  if (histRows.length > 0) {
    charts.push({
      id: 'gate-histograms',
      title: 'Gate activations on held-out data',
      caption: 'Share of all (valid) activations of each gate in 20 bins — σ gates over [0, 1], the tanh candidates over [−1, 1]; first seed, equal hidden size.',
      spec: { data: { values: histRows }, facet: { row: { field: 'task', title: null, sort: TASK_IDS }, column: { field: 'gate', title: null } }, resolve: { scale: { x: 'independent' } },
        spec: { width: 90, height: 60, mark: { type: 'area', line: true, opacity: 0.5 }, encoding: {
          x: { field: 'value', type: 'quantitative', title: null }, y: { field: 'share', type: 'quantitative', title: 'share' },
          color: { field: 'model', type: 'nominal', scale: MODEL_COLORS, title: 'model' } } } },
    });
  }
  const unitRows = records.flatMap((r) =>
    r.gates.flatMap(({ gate, leftFraction, rightFraction }) =>
      leftFraction === null || rightFraction === null
        ? []
        : leftFraction.map((left, j) => ({ task: r.task, model: r.model, gate: `${r.model} ${gate}`, left, right: rightFraction[j] })),
    ),
  );
  if (unitRows.length > 0) {
    charts.push({
      id: 'gate-saturation',
      title: 'Gate saturation per unit',
      caption: 'Each point is one unit: the fraction of held-out time steps its gate is left-saturated (< 0.1, x) and right-saturated (> 0.9, y), as in Karpathy, Johnson & Fei-Fei (2015), Fig. 3.',
      spec: { data: { values: unitRows }, facet: { row: { field: 'task', title: null, sort: TASK_IDS }, column: { field: 'gate', title: null } },
        spec: { width: 90, height: 90, mark: { type: 'circle', size: 14, opacity: 0.6 }, encoding: {
          x: { field: 'left', type: 'quantitative', scale: { domain: [0, 1] }, title: 'left-saturated' },
          y: { field: 'right', type: 'quantitative', scale: { domain: [0, 1] }, title: 'right-saturated' },
          color: { field: 'model', type: 'nominal', scale: MODEL_COLORS, title: 'model' } } } },
    });
  }
  const maps = heatmapRecords(results).flatMap((r) => (r.heatmap === undefined ? [] : [{ task: r.task, model: r.model, heatmap: r.heatmap }]));
  const cells = maps.flatMap(({ model, heatmap }) =>
    heatmap.steps.flatMap((t, i) =>
      (heatmap.values[i] ?? []).map((v, unit) => ({ model: `${model} ${heatmap.gate} gate`, t: heatmap.marks.includes(t) ? `${t}*` : String(t), order: t, unit, value: v })),
    ),
  );
  const [firstMap] = maps;
  if (cells.length > 0 && firstMap !== undefined) {
    const first = firstMap.heatmap;
    charts.push({
      id: 'gate-heatmap',
      title: `Forget/update gate around the marked steps (${firstMap.task}, T = ${first.seqLen})`,
      caption: `One held-out adding-problem example: every unit's LSTM forget gate f_t / GRU update gate z_t (near 1 = keep the state) at the ${
        first.steps.length
      } steps within 8 of the two marked steps (${first.marks.join(' and ')}, starred).`,
      spec: { data: { values: cells }, facet: { column: { field: 'model', title: null } },
        spec: { width: 260, height: 160, mark: 'rect', encoding: {
          x: { field: 't', type: 'ordinal', sort: { field: 'order' }, title: 'time step', axis: { labelAngle: -90, labelFontSize: 7 } },
          y: { field: 'unit', type: 'ordinal', title: 'unit', axis: null },
          color: { field: 'value', type: 'quantitative', scale: { domain: [0, 1], scheme: 'viridis' }, title: 'gate' } } } },
    });
  }
  return charts;
}
