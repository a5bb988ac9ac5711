import { compareUnits } from './grid.js';
import type { AttentionMapRecord, FailureRecord, GateStatsRecord, GradientFlowRecord, ResultsFile, RunEntry } from './results.js';
import { writeResults } from './run-dir.js';
import { computeVerdicts } from './verdicts.js';

/** Attention maps in report order: task, model, seed, then the order the task chose its words in (stable sort). */
export function sortAttentionMaps(maps: readonly AttentionMapRecord[]): AttentionMapRecord[] {
  return [...maps].sort((a, b) => compareUnits({ ...a, sizing: 'equal-hidden' }, { ...b, sizing: 'equal-hidden' }) || a.seed - b.seed);
}

/**
 * The results of a run as they accumulate. Every change is written to results.json atomically and in order
 * (saves are chained, so an older state never lands after a newer one), entries in report order whatever
 * order they finished in — an interrupted run leaves every finished entry readable.
 */
export class RunRecorder {
  private readonly runs: RunEntry[] = [];
  private readonly failures: FailureRecord[] = [];
  private readonly flows: GradientFlowRecord[] = [];
  private readonly gates: GateStatsRecord[] = [];
  private readonly attention: AttentionMapRecord[] = [];
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private results: ResultsFile,
  ) {}

  get current(): ResultsFile {
    return this.results;
  }

  addEntry(entry: RunEntry): Promise<void> {
    this.runs.push(entry);
    return this.save();
  }

  addFailure(failure: FailureRecord): Promise<void> {
    this.failures.push(failure);
    return this.save();
  }

  addGradientFlow(flow: GradientFlowRecord): void {
    this.flows.push(flow);
  }

  addGateStats(stats: GateStatsRecord): void {
    this.gates.push(stats);
  }

  addAttentionMaps(maps: readonly AttentionMapRecord[]): void {
    this.attention.push(...maps);
  }

  finish(): Promise<void> {
    this.results = { ...this.results, finishedAt: new Date().toISOString() };
    return this.save();
  }

  save(): Promise<void> {
    const runs = [...this.runs].sort(compareUnits);
    this.results = {
      ...this.results,
      runs,
      failures: [...this.failures].sort(compareUnits),
      gradientFlow: [...this.flows].sort((a, b) => compareUnits({ ...a, sizing: 'equal-hidden' }, { ...b, sizing: 'equal-hidden' }) || a.seed - b.seed),
      gateStats: [...this.gates].sort((a, b) => compareUnits({ ...a, sizing: 'equal-hidden' }, { ...b, sizing: 'equal-hidden' }) || a.seed - b.seed),
      ...(this.attention.length > 0 ? { attentionMaps: sortAttentionMaps(this.attention) } : {}),
      verdicts: computeVerdicts(runs),
    };
    const snapshot = this.results;
    this.saving = this.saving.then(() => writeResults(this.dir, snapshot));
    return this.saving;
  }
}
