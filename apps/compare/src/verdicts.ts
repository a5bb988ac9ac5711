import { ArgumentError } from '@gated/tensor';
import { sizedLabel } from './format.js';
import { TASK_IDS, type TaskId, isHorizonTask } from './grid.js';
import { type HorizonSummary, differingLengths, memoryHorizons } from './horizon.js';
import { at } from './lookup.js';
import type { ResultsFile, RunEntry, SeedResult } from './results.js';
import type { ModelKind, Sizing } from './sizing.js';
import { pairedRatio } from './paired-ratio.js';
import { summarize, welchPValue } from './stats.js';

/** Outcome of checking a claim against measured intervals. */
export type Verdict = 'supported' | 'contradicted' | 'not significant';

/** The claims of the seed's comparative table that the app checks. */
export const CLAIMS = {
  'gru-simpler': { aspect: 'Complexity', text: 'GRU is simpler than LSTM (fewer parameters)' },
  'gru-trains-faster': { aspect: 'Training speed', text: 'GRU trains faster than LSTM' },
  'gru-infers-faster': { aspect: 'Inference speed', text: 'GRU runs inference faster than LSTM (batch-1 latency)' },
  'gru-less-memory': { aspect: 'Memory usage', text: 'GRU uses less memory than LSTM' },
  'lstm-better-long-dependencies': { aspect: 'Performance', text: 'LSTM is better than GRU on long dependencies' },
  'gru-similar-performance': { aspect: 'Performance', text: 'GRU often performs similarly to LSTM' },
  'gated-beats-rnn-long-dependencies': {
    aspect: 'Long dependencies',
    text: 'A gated cell learns long dependencies the vanilla RNN cannot',
  },
} as const;
/** Id of a checked claim. */
export type ClaimId = keyof typeof CLAIMS;

/** One side of a comparison: a model's values over seeds and their 95% interval. */
export interface VerdictSide {
  readonly model: ModelKind;
  readonly sizing: Sizing;
  readonly values: readonly number[];
  readonly mean: number;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
}

/** A claim checked on one task. */
export interface VerdictRecord {
  readonly claim: ClaimId;
  readonly aspect: string;
  readonly text: string;
  readonly task: TaskId;
  /** The measured quantity, e.g. `trainStepMs`, `peakTensorBytes`, `metric:mse`. */
  readonly measure: string;
  /** Whether the claim favours the lower or the higher value of `measure` for `favoured`. */
  readonly better: 'lower' | 'higher';
  readonly favoured: VerdictSide;
  readonly other: VerdictSide;
  readonly verdict: Verdict;
  /**
   * Two-sided p-value: of the paired t-test on log ratios for paired speed timings (whose interval decides the
   * verdict), else Welch's (informative; the verdict uses the intervals).
   */
  readonly pValue: number | null;
  /** Paired speed timings only: the geometric-mean ratio favoured/other over the rounds and its 95% interval. */
  readonly ratio?: { readonly rounds: number; readonly mean: number; readonly ciLow: number; readonly ciHigh: number };
  readonly explanation: string;
}

function side(entry: RunEntry, values: readonly number[]): VerdictSide {
  const s = summarize(values);
  const finite = Number.isFinite(s.ciLow);
  return {
    model: entry.model,
    sizing: entry.sizing,
    values,
    mean: s.mean,
    ciLow: finite ? s.ciLow : null,
    ciHigh: finite ? s.ciHigh : null,
  };
}

/**
 * Verdict of the claim "`favoured` is better (lower or higher) than `other`" from 95% intervals: supported when
 * the intervals are disjoint in the claimed direction, contradicted when disjoint the other way, and
 * "not significant" when they overlap (or a side has a single value and so no interval). Exact quantities
 * (`exact: true`, e.g. parameter counts) are compared directly.
 */
export function differenceVerdict(
  favoured: readonly number[],
  other: readonly number[],
  better: 'lower' | 'higher',
  exact = false,
): Verdict {
  const a = summarize(favoured);
  const b = summarize(other);
  const sign = better === 'lower' ? 1 : -1;
  if (exact) {
    if (a.mean === b.mean) return 'not significant';
    return sign * (a.mean - b.mean) < 0 ? 'supported' : 'contradicted';
  }
  if (a.n < 2 || b.n < 2) return 'not significant';
  const aBetter = better === 'lower' ? a.ciHigh < b.ciLow : a.ciLow > b.ciHigh;
  const bBetter = better === 'lower' ? b.ciHigh < a.ciLow : b.ciLow > a.ciHigh;
  if (aBetter) return 'supported';
  if (bBetter) return 'contradicted';
  return 'not significant';
}

const fmt = (v: number): string =>
  Number.isInteger(v) || Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(3) : v.toPrecision(3);

type Mode = 'interval' | 'exact' | 'similarity';

/**
 * Verdict of "`favoured` is lower/higher than `other`" from timings paired by round (see paired-ratio.ts):
 * supported when the 95% interval of the geometric-mean ratio lies wholly on the claimed side of 1, contradicted
 * when wholly on the other side, not significant when it contains 1 (or fewer than two rounds).
 */
export function pairedVerdict(favoured: readonly number[], other: readonly number[], better: 'lower' | 'higher'): Verdict {
  const r = pairedRatio(favoured, other);
  if (!(r.n >= 2)) return 'not significant';
  const below = r.ciHigh < 1;
  const above = r.ciLow > 1;
  if (better === 'lower' ? below : above) return 'supported';
  if (better === 'lower' ? above : below) return 'contradicted';
  return 'not significant';
}

/**
 * A speed claim decided by the paired test on two entries' race timings: on CPU time per round (what the work
 * costs, robust to other programs), with the wall-time ratio of the same rounds stated beside it.
 */
function pairedRecord(
  claim: ClaimId,
  measure: 'trainStepMs' | 'inferLatencyMs',
  favoured: { readonly entry: RunEntry; readonly cpu: readonly number[]; readonly wall: readonly number[] },
  other: { readonly entry: RunEntry; readonly cpu: readonly number[]; readonly wall: readonly number[] },
): VerdictRecord {
  const r = pairedRatio(favoured.cpu, other.cpu);
  const wall = pairedRatio(favoured.wall, other.wall);
  const verdict = pairedVerdict(favoured.cpu, other.cpu, 'lower');
  const label = (e: RunEntry): string => sizedLabel(e.model, e.sizing);
  const where = r.ciHigh < 1 ? 'below 1' : r.ciLow > 1 ? 'above 1' : 'contains 1';
  const interval = (p: typeof r): string => `${p.ratio.toFixed(3)} [${p.ciLow.toFixed(3)}, ${p.ciHigh.toFixed(3)}]`;
  return {
    claim,
    aspect: CLAIMS[claim].aspect,
    text: CLAIMS[claim].text,
    task: favoured.entry.task,
    measure,
    better: 'lower',
    favoured: side(favoured.entry, favoured.cpu),
    other: side(other.entry, other.cpu),
    verdict,
    pValue: Number.isNaN(r.pValue) ? null : r.pValue,
    ratio: { rounds: r.n, mean: r.ratio, ciLow: r.ciLow, ciHigh: r.ciHigh },
    explanation: `${measure} as CPU time, ${r.n} interleaved rounds: ${label(favoured.entry)}/${label(other.entry)} = ${interval(r)} (paired t-test on log ratios, p = ${r.pValue.toPrecision(2)}) — 95% interval ${where}; wall time ${interval(wall)}`,
  };
}

/** The race timings of two entries when they were timed in the same race (same process and task), else null. */
function racedTogether(a: RunEntry, b: RunEntry): { readonly a: NonNullable<RunEntry['pairedSpeed']>; readonly b: NonNullable<RunEntry['pairedSpeed']> } | null {
  const pa = a.pairedSpeed;
  const pb = b.pairedSpeed;
  if (!pa || !pb || pa.race !== pb.race) return null;
  const n = pa.trainStepCpuMs.length;
  const series = [pa.trainStepCpuMs, pa.inferLatencyCpuMs, pa.trainStepMs, pa.inferLatencyMs, pb.trainStepCpuMs, pb.inferLatencyCpuMs, pb.trainStepMs, pb.inferLatencyMs];
  if (n < 2 || series.some((v) => v.length !== n)) return null;
  return { a: pa, b: pb };
}

function record(
  claim: ClaimId,
  measure: string,
  better: 'lower' | 'higher',
  favoured: { readonly entry: RunEntry; readonly values: readonly number[] },
  other: { readonly entry: RunEntry; readonly values: readonly number[] },
  mode: Mode,
): VerdictRecord {
  const diff = differenceVerdict(favoured.values, other.values, better, mode === 'exact');
  // "Similar performance" is supported by the absence of a detectable difference either way.
  const single = favoured.values.length < 2 || other.values.length < 2;
  const verdict: Verdict =
    mode === 'similarity' && !single ? (diff === 'not significant' ? 'supported' : 'contradicted') : diff;
  const fs = side(favoured.entry, favoured.values);
  const os = side(other.entry, other.values);
  const interval = (s: VerdictSide): string =>
    s.ciLow === null || s.ciHigh === null ? `${fmt(s.mean)} (1 seed, no interval)` : `${fmt(s.mean)} [${fmt(s.ciLow)}, ${fmt(s.ciHigh)}]`;
  const p = mode === 'exact' ? Number.NaN : welchPValue(favoured.values, other.values);
  const label = (e: RunEntry): string => sizedLabel(e.model, e.sizing);
  const explanation =
    mode === 'exact'
      ? `${measure}: ${label(favoured.entry)} ${fmt(fs.mean)} vs ${label(other.entry)} ${fmt(os.mean)} (exact)`
      : `${measure}: ${label(favoured.entry)} ${interval(fs)} vs ${label(other.entry)} ${interval(os)} — ${
          single ? 'one seed gives no interval' : `95% intervals ${diff === 'not significant' ? 'overlap' : 'are disjoint'}`
        }`;
  return {
    claim,
    aspect: CLAIMS[claim].aspect,
    text: CLAIMS[claim].text,
    task: favoured.entry.task,
    measure,
    better,
    favoured: fs,
    other: os,
    verdict,
    pValue: Number.isNaN(p) ? null : p,
    explanation,
  };
}

function find(runs: readonly RunEntry[], task: TaskId, model: ModelKind, sizing: Sizing): RunEntry | undefined {
  return runs.find((r) => r.task === task && r.model === model && r.sizing === sizing);
}

/**
 * Checks the seed table's claims on every task that has both an LSTM and a GRU entry: complexity (parameter
 * counts), training speed (ms per step), memory (peak tensor bytes during a step) and performance (the task
 * metric at equal hidden size and at equal parameters; long dependencies on `memory-adding`).
 */
export function computeVerdicts(runs: ResultsFile['runs']): VerdictRecord[] {
  const out: VerdictRecord[] = [];
  for (const task of TASK_IDS) {
    const lstm = find(runs, task, 'lstm', 'equal-hidden');
    const gru = find(runs, task, 'gru', 'equal-hidden');
    if (!lstm || !gru) continue;
    const gruWide = find(runs, task, 'gru', 'equal-params');
    const gruCompute = find(runs, task, 'gru', 'equal-compute');
    const metricBetter = lstm.metric.higherIsBetter ? 'higher' : 'lower';
    const metricMeasure = `metric:${lstm.metric.name}`;
    const values = (entry: RunEntry, pick: (s: SeedResult) => number) => ({ entry, values: entry.seeds.map(pick) });
    out.push(record('gru-simpler', 'params', 'lower', { entry: gru, values: [gru.params] }, { entry: lstm, values: [lstm.params] }, 'exact'));
    const step = (s: SeedResult): number => s.trainStepMs;
    const latency = (s: SeedResult): number => s.inferLatencyMs.tfjs;
    const raced = racedTogether(gru, lstm);
    if (raced) {
      // The paired design: both timed round by round in one process, decided on the per-round ratios.
      const { a, b } = raced;
      out.push(pairedRecord('gru-trains-faster', 'trainStepMs', { entry: gru, cpu: a.trainStepCpuMs, wall: a.trainStepMs }, { entry: lstm, cpu: b.trainStepCpuMs, wall: b.trainStepMs }));
      out.push(
        pairedRecord('gru-infers-faster', 'inferLatencyMs', { entry: gru, cpu: a.inferLatencyCpuMs, wall: a.inferLatencyMs }, { entry: lstm, cpu: b.inferLatencyCpuMs, wall: b.inferLatencyMs }),
      );
    } else {
      out.push(record('gru-trains-faster', 'trainStepMs', 'lower', values(gru, step), values(lstm, step), 'interval'));
      out.push(record('gru-infers-faster', 'inferLatencyMs', 'lower', values(gru, latency), values(lstm, latency), 'interval'));
    }
    const memory = (s: SeedResult): number => s.peakTensorBytes;
    out.push(record('gru-less-memory', 'peakTensorBytes', 'lower', values(gru, memory), values(lstm, memory), 'interval'));
    const metric = (s: SeedResult): number => s.metric;
    // The sweep's performance claims are decided across lengths, below.
    if (isHorizonTask(task)) continue;
    if (task === 'memory-adding') {
      out.push(record('lstm-better-long-dependencies', metricMeasure, metricBetter, values(lstm, metric), values(gru, metric), 'interval'));
      if (gruWide) {
        out.push(
          record('lstm-better-long-dependencies', metricMeasure, metricBetter, values(lstm, metric), values(gruWide, metric), 'interval'),
        );
      }
      if (gruCompute) {
        out.push(
          record('lstm-better-long-dependencies', metricMeasure, metricBetter, values(lstm, metric), values(gruCompute, metric), 'interval'),
        );
      }
      const rnn = find(runs, task, 'rnn', 'equal-hidden');
      if (rnn) {
        for (const gated of [lstm, gru]) {
          out.push(
            record('gated-beats-rnn-long-dependencies', metricMeasure, metricBetter, values(gated, metric), values(rnn, metric), 'interval'),
          );
        }
      }
    } else {
      out.push(record('gru-similar-performance', metricMeasure, metricBetter, values(gru, metric), values(lstm, metric), 'similarity'));
      if (gruCompute) {
        out.push(record('gru-similar-performance', metricMeasure, metricBetter, values(gruCompute, metric), values(lstm, metric), 'similarity'));
      }
    }
  }
  out.push(...horizonVerdicts(runs));
  return out;
}

/**
 * The long-dependency claims on the memory-horizon sweep: per model the longest T each seed solves (higher is
 * better), and the MSE at every length where the two models' outcomes differ — not where both solve or both fail.
 */
function horizonVerdicts(runs: ResultsFile['runs']): VerdictRecord[] {
  const out: VerdictRecord[] = [];
  const horizons = memoryHorizons(runs);
  const of = (model: ModelKind) => horizons.find((h) => h.model === model);
  const entryAt = (model: ModelKind, task: TaskId): RunEntry => {
    const found = find(runs, task, model, 'equal-hidden');
    if (found === undefined) throw new ArgumentError('runs', `an equal-hidden ${model} entry for ${task}`, 'none');
    return found;
  };
  const longest = (h: HorizonSummary) => entryAt(h.model, at(h.points, -1, `${h.model} horizon points`).task);
  const metric = (s: SeedResult): number => s.metric;
  const lstm = of('lstm');
  const gru = of('gru');
  if (lstm && gru) {
    out.push(record('lstm-better-long-dependencies', 'horizon T', 'higher', { entry: longest(lstm), values: lstm.seedHorizons }, { entry: longest(gru), values: gru.seedHorizons }, 'interval'));
    const differing = new Set(differingLengths(lstm, gru));
    for (const { task } of lstm.points.filter((p) => differing.has(p.seqLen))) {
      out.push(
        record('lstm-better-long-dependencies', 'metric:mse', 'lower', { entry: entryAt('lstm', task), values: entryAt('lstm', task).seeds.map(metric) }, { entry: entryAt('gru', task), values: entryAt('gru', task).seeds.map(metric) }, 'interval'),
      );
    }
  }
  const rnn = of('rnn');
  if (rnn) {
    for (const gated of [lstm, gru]) {
      if (!gated) continue;
      out.push(record('gated-beats-rnn-long-dependencies', 'horizon T', 'higher', { entry: longest(gated), values: gated.seedHorizons }, { entry: longest(rnn), values: rnn.seedHorizons }, 'interval'));
    }
  }
  return out;
}
