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
  if (withMap.length === 0) return [];
  const sweep = withMap.filter((g) => isHorizonTask(g.task));
  if (sweep.length === 0) return withMap.filter((g) => g.task === withMap[0]!.task);
  const solved = memoryHorizons(results.runs).filter((h) => h.model !== 'rnn').map((h) => h.horizon).filter((T) => T > 0);
  const lengths = [...new Set(sweep.map((g) => horizonLength(g.task)))].sort((a, b) => a - b);
  const T = solved.length > 0 && lengths.includes(Math.max(...solved)) ? Math.max(...solved) : lengths[0]!;
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
      const total = g.histogram.counts.reduce((s, c) => s + c, 0) || 1;
      return g.histogram.counts.map((c, i) => ({
        task: r.task,
        model: r.model,
        gate: `${r.model} ${g.gate}`,
        value: (g.histogram.edges[i]! + g.histogram.edges[i + 1]!) / 2,
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
    r.gates
      .filter((g) => g.leftFraction !== null && g.rightFraction !== null)
      .flatMap((g) => g.leftFraction!.map((left, j) => ({ task: r.task, model: r.model, gate: `${r.model} ${g.gate}`, left, right: g.rightFraction![j]! }))),
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
  const maps = heatmapRecords(results);
  const cells = maps.flatMap((r) =>
    r.heatmap!.steps.flatMap((t, i) =>
      r.heatmap!.values[i]!.map((v, unit) => ({ model: `${r.model} ${r.heatmap!.gate} gate`, t: r.heatmap!.marks.includes(t) ? `${t}*` : String(t), order: t, unit, value: v })),
    ),
  );
  if (cells.length > 0) {
    const first = maps[0]!.heatmap!;
    charts.push({
      id: 'gate-heatmap',
      title: `Forget/update gate around the marked steps (${maps[0]!.task}, T = ${first.seqLen})`,
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
