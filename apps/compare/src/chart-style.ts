import { TASK_IDS } from './grid.js';

/** A Vega-Lite specification (kept loose: the app builds them from plain objects). */
export type ChartSpec = Record<string, unknown>;

/** A chart of the report: its id, title, caption and Vega-Lite spec. */
export interface Chart {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly spec: ChartSpec;
}

/** One colour per model label, the same in every chart. */
export const MODEL_COLORS = {
  domain: ['lstm', 'gru', 'gru (equal params)', 'gru (equal compute)', 'rnn'],
  range: ['#1f77b4', '#d62728', '#ff9896', '#9467bd', '#7f7f7f'],
};

/** The colour encoding by model label. */
export const color = { field: 'model', type: 'nominal', scale: MODEL_COLORS, title: 'model' };

/** Small multiples by task, in report order, each with its own scales. */
export const facet = (columns = 3, sort: readonly string[] = TASK_IDS) => ({
  facet: { field: 'task', type: 'nominal', title: null, sort },
  columns,
  resolve: { scale: { y: 'independent', x: 'independent' } },
});
