import type { GridUnit } from './grid.js';
import type { MeanCurves, RunEntry, RuntimePair, SeedResult, UnitConfig } from './results.js';
import { mean, std, summarize } from './stats.js';

function meanPair(pairs: readonly RuntimePair[]): RuntimePair {
  const ort = pairs.map((p) => p.onnxruntime).filter((v): v is number => v !== null);
  return { tfjs: mean(pairs.map((p) => p.tfjs)), onnxruntime: ort.length > 0 ? mean(ort) : null };
}

function meanSeries(series: readonly (readonly number[])[]): { mean: number[]; std: number[] } {
  const length = Math.min(...series.map((s) => s.length));
  const m: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < length; i++) {
    // Every row has an i-th value (i < the shortest row's length).
    const column = series.map((row) => row[i] ?? Number.NaN);
    m.push(mean(column));
    s.push(std(column));
  }
  return { mean: m, std: s };
}

/** Learning curves averaged over seeds, point by point (seeds log at the same steps). */
export function meanCurves(seeds: readonly SeedResult[]): MeanCurves {
  const loss = meanSeries(seeds.map((s) => s.curve.trainLoss));
  const evalMetric = meanSeries(seeds.map((s) => s.curve.evalMetric));
  const first = seeds[0]?.curve;
  const timings = seeds.flatMap((s) => (s.curve.evalTrainMs === undefined ? [] : [s.curve.evalTrainMs]));
  const evalTrainMs = timings.length === seeds.length ? meanSeries(timings).mean : null;
  return {
    step: (first?.step ?? []).slice(0, loss.mean.length),
    trainLoss: loss.mean,
    trainLossStd: loss.std,
    evalStep: (first?.evalStep ?? []).slice(0, evalMetric.mean.length),
    evalMetric: evalMetric.mean,
    evalMetricStd: evalMetric.std,
    ...(evalTrainMs && seeds.length > 0 ? { evalTrainMs } : {}),
  };
}

/** What a grid unit measured apart from its per-seed results. */
export interface EntryFacts {
  readonly unit: GridUnit;
  readonly config: UnitConfig;
  readonly params: number;
  readonly weightBytes: number;
  readonly metricName: string;
  readonly higherIsBetter: boolean;
}

/** Builds a results.json entry from per-seed results: means for the numbers, mean ± std and a 95% interval for the metric. */
export function aggregateEntry(facts: EntryFacts, seeds: readonly SeedResult[]): RunEntry {
  const metric = summarize(seeds.map((s) => s.metric));
  const extraNames = [...new Set(seeds.flatMap((s) => Object.keys(s.extraMetrics)))].sort();
  const extraMetrics = Object.fromEntries(
    extraNames.map((name) => {
      const values = seeds.map((s) => s.extraMetrics[name]).filter((v): v is number => v !== undefined);
      return [name, { mean: mean(values), std: std(values) }];
    }),
  );
  return {
    task: facts.unit.task,
    model: facts.unit.model,
    sizing: facts.unit.sizing,
    config: facts.config,
    seeds,
    params: facts.params,
    weightBytes: facts.weightBytes,
    trainStepMs: mean(seeds.map((s) => s.trainStepMs)),
    epochMs: mean(seeds.map((s) => s.epochMs)),
    inferLatencyMs: meanPair(seeds.map((s) => s.inferLatencyMs)),
    throughputPerSec: meanPair(seeds.map((s) => s.throughputPerSec)),
    peakTensorBytes: mean(seeds.map((s) => s.peakTensorBytes)),
    rssBytes: Math.max(...seeds.map((s) => s.rssBytes)),
    metric: {
      name: facts.metricName,
      mean: metric.mean,
      std: metric.std,
      higherIsBetter: facts.higherIsBetter,
      ciLow: Number.isFinite(metric.ciLow) ? metric.ciLow : null,
      ciHigh: Number.isFinite(metric.ciHigh) ? metric.ciHigh : null,
      n: metric.n,
    },
    extraMetrics,
    curves: meanCurves(seeds),
  };
}
