import type { RunEntry } from './results.js';
import type { Sizing } from './sizing.js';

/** A number with about `digits` significant digits, without exponent for everyday magnitudes. */
export function num(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const abs = Math.abs(value);
  if (abs >= 10 ** digits) return Math.round(value).toLocaleString('en-US');
  if (abs === 0) return '0';
  if (abs < 1e-3) return value.toExponential(digits - 1);
  return Number(value.toPrecision(digits)).toString();
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined || Number.isNaN(bytes) ? '–' : (bytes / 2 ** 20).toFixed(1);
}

/** `0.812 ± 0.004` (or just the mean for one seed). */
export function meanStd(mean: number, std: number, n: number): string {
  return n > 1 ? `${num(mean, 4)} ± ${num(std, 2)}` : num(mean, 4);
}

/** The label of a model at a sizing: `lstm`, `gru (equal params)`, `gru (equal compute)`. */
export function sizedLabel(model: string, sizing: Sizing): string {
  return sizing === 'equal-params' ? `${model} (equal params)` : sizing === 'equal-compute' ? `${model} (equal compute)` : model;
}

/** The label of an entry's model, e.g. `gru (equal params)`. */
export function modelLabel(entry: RunEntry): string {
  return sizedLabel(entry.model, entry.sizing);
}

/** Duration as `12 min 5 s` / `48 s`. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The columns of the headline table, shared by the terminal, Markdown and HTML renderings. */
export const TABLE_COLUMNS = [
  'task', 'model', 'H', 'params', 'metric', 'step ms', 'epoch s', 'latency tfjs ms', 'latency ort ms', 'thr tfjs /s', 'thr ort /s', 'peak MiB', 'RSS MiB',
] as const;

/** One row of the headline table. */
export function tableRow(e: RunEntry): string[] {
  return [
    e.task,
    modelLabel(e),
    String(e.config.hiddenSize),
    e.params.toLocaleString('en-US'),
    `${e.metric.name} ${meanStd(e.metric.mean, e.metric.std, e.metric.n)}`,
    num(e.trainStepMs),
    num(e.epochMs / 1000),
    num(e.inferLatencyMs.tfjs),
    num(e.inferLatencyMs.onnxruntime),
    num(e.throughputPerSec.tfjs),
    num(e.throughputPerSec.onnxruntime),
    mib(e.peakTensorBytes),
    mib(e.rssBytes),
  ];
}
