import { CONVERGENCE_TOLERANCE, PATIENCE_FRACTION, convergence } from './convergence.js';
import { FLOP_CONVENTION } from './flops.js';
import { duration, meanStd, modelLabel, num } from './format.js';
import { SATURATION_DEFINITION } from './gate-stats.js';
import { g2pSection } from './g2p-report.js';
import { SOLVED_DEFINITION, memoryHorizons, solves } from './horizon.js';
import type { ResultsFile } from './results.js';

/** A table section of the report, rendered the same way to Markdown and HTML. */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  /** A sentence or two above the table: definitions the numbers depend on. */
  readonly lead: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** The memory horizon: MSE at every T of the sweep per model, seeds solving, and the longest T solved. */
export function horizonSection(r: ResultsFile): ReportSection | null {
  const horizons = memoryHorizons(r.runs);
  if (horizons.length === 0) return null;
  const lengths = [...new Set(horizons.flatMap((h) => h.points.map((p) => p.seqLen)))].sort((a, b) => a - b);
  return {
    id: 'memory-horizon',
    title: 'Memory horizon (adding problem, equal hidden size)',
    lead: SOLVED_DEFINITION,
    header: ['model', ...lengths.map((T) => `MSE at T=${T} (seeds solving)`), 'horizon (mean)', 'horizon per seed'],
    rows: horizons.map((h) => [
      h.model,
      ...lengths.map((T) => {
        const p = h.points.find((q) => q.seqLen === T);
        return p ? `${meanStd(p.mean, p.std, p.seeds)}${solves(p.mean) ? ' ✓' : ''} (${p.solvedSeeds}/${p.seeds})` : '–';
      }),
      h.horizon > 0 ? `T=${h.horizon}` : 'none',
      h.seedHorizons.join(', '),
    ]),
  };
}

/** FLOPs and the metric of every entry: what each model was trained with, and what it reached. */
export function computeSection(r: ResultsFile): ReportSection | null {
  const rows = r.runs.flatMap((e) => (e.config.stepFlops === undefined ? [] : [{ ...e, stepFlops: e.config.stepFlops }]));
  if (rows.length === 0) return null;
  return {
    id: 'compute',
    title: 'Training compute',
    lead: `${FLOP_CONVENTION} "gru (equal compute)" is the GRU at the LSTM's hidden size trained for the LSTM's total FLOPs (more steps).`,
    header: ['task', 'model', 'steps', 'GFLOP/step', 'total PFLOP', 'train time', 'metric'],
    rows: rows.map((e) => [
      e.task,
      modelLabel(e),
      String(e.config.steps),
      num(e.stepFlops / 1e9),
      num((e.stepFlops * e.config.steps) / 1e15),
      duration(e.seeds.reduce((s, x) => s + x.trainMs, 0) / Math.max(1, e.seeds.length)),
      `${e.metric.name} ${meanStd(e.metric.mean, e.metric.std, e.metric.n)}`,
    ]),
  };
}

/** Whether each entry's held-out curve had flattened by the end. */
export function convergenceSection(r: ResultsFile): ReportSection | null {
  if (r.runs.length === 0) return null;
  return {
    id: 'convergence',
    title: 'Convergence',
    lead: `An entry has converged when its last held-out evaluation (mean over seeds) improved on the one before by less than ${CONVERGENCE_TOLERANCE * 100}% of its value (a last evaluation that got worse also counts); otherwise it had not converged and more training would likely change its number. A flat curve at a baseline's level (e.g. the adding problem's mean predictor) is a plateau, not a solution: on the adding problem a model can sit there for a long time and then drop. An entry scored at its best validation checkpoint (early stopping's choice, e.g. timeseries-co2; the step is given per seed) is judged by early stopping's rule instead: it has converged when every seed trained at least ${PATIENCE_FRACTION * 100}% of its budget past that checkpoint without improving on it.`,
    header: ['task', 'model', 'last two evals', 'last improvement', 'status'],
    rows: r.runs.map((e) => {
      const c = convergence(e);
      const evals = e.curves.evalMetric.slice(-2).map((v) => num(v, 4)).join(' → ');
      const best = e.seeds.flatMap((s) => (s.bestStep === undefined ? [] : [s.bestStep]));
      const scored = best.length > 0 ? `; scored at the best validation checkpoint, step ${best.join('/')} of ${e.config.steps}` : '';
      return [e.task, modelLabel(e), evals || '–', c.lastImprovement === null ? '–' : `${num(c.lastImprovement * 100, 2)}%`, `${c.status}${scored}`];
    }),
  };
}

/** Gate saturation and mean activation per σ gate of every trained LSTM/GRU (first seed). */
export function gateSection(r: ResultsFile): ReportSection | null {
  const records = r.gateStats ?? [];
  if (records.length === 0) return null;
  const pct = (v: number | null): string => (v === null ? '–' : `${num(v * 100, 2)}%`);
  return {
    id: 'gate-statistics',
    title: 'How the gates behave',
    lead: SATURATION_DEFINITION,
    header: ['task', 'model', 'gate', 'mean activation', 'units left-saturated', 'units right-saturated'],
    rows: records.flatMap((g) =>
      g.gates.map((s) => [g.task, g.model, s.gate, num(s.mean, 2), pct(s.leftSaturatedUnits), pct(s.rightSaturatedUnits)]),
    ),
  };
}

/** The report's new table sections, in order, leaving out those without data. */
export function reportSections(r: ResultsFile): ReportSection[] {
  return [horizonSection(r), g2pSection(r), computeSection(r), convergenceSection(r), gateSection(r)].filter((s): s is ReportSection => s !== null);
}
