import { join } from 'node:path';
import { writeFileAtomic } from '@gated/tensor';
import type { PaperEntry, PaperResultsFile } from './paper-results.js';
import { PAPER_TASKS } from './registry.js';

const LABEL = { lstm: 'LSTM', gru: 'GRU', rnn: 'tanh RNN' } as const;

function num(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  return Math.abs(v) >= 0.01 && Math.abs(v) < 1e5 ? v.toPrecision(3) : v.toExponential(2);
}

function signed(v: number): string {
  return Number.isFinite(v) ? `${v >= 0 ? '+' : '−'}${num(Math.abs(v))}` : '—';
}

/** What a row trained with: the chosen learning rate, the steps its seeds ran (of the most allowed) and how many stopped early. */
export function budgetUsed(e: PaperEntry): string {
  const steps = e.seeds.map((s) => s.steps);
  const low = Math.min(...steps);
  const high = Math.max(...steps);
  const ran = steps.length === 0 ? '—' : low === high ? low.toLocaleString('en-US') : `${low.toLocaleString('en-US')}–${high.toLocaleString('en-US')}`;
  const early = e.seeds.filter((s) => s.stoppedEarly).length;
  return `lr ${e.protocol.learningRate}; ${ran} of ${e.protocol.maxSteps.toLocaleString('en-US')} steps; ${early}/${e.seeds.length} stopped early`;
}

/** The "Published results" table: paper number, ours (mean ± std over seeds, 95% interval), difference, verdict, budget used. */
export function publishedTable(entries: readonly PaperEntry[]): string {
  const lines = [
    '| Task | Model | Params (ours / paper) | Paper | Ours: mean ± std (n) | 95% interval | Difference | Verdict | Budget used |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const e of entries) {
    const t = e.test;
    const ci = t.ciLow === null || t.ciHigh === null ? '—' : `[${num(t.ciLow)}, ${num(t.ciHigh)}]`;
    const verdict = e.verdict === null ? 'no published number' : e.verdict.verdict === 'reproduced' ? 'reproduced' : `**not reproduced** (gap ${num(e.verdict.gap)})`;
    lines.push(
      `| ${e.task} (${t.name}) | ${LABEL[e.model]} ${e.hiddenSize} | ${e.params.toLocaleString('en-US')} / ~${e.paperParams.toLocaleString('en-US')} | ${num(e.published)} | ${num(t.mean)} ± ${num(t.std)} (${t.n}) | ${ci} | ${e.verdict ? signed(e.verdict.difference) : '—'} | ${verdict} | ${budgetUsed(e)} |`,
    );
  }
  return lines.join('\n');
}

/** The protocol table: chosen learning rate per model, the grid, early stopping and where the best checkpoints were. */
export function protocolTable(entries: readonly PaperEntry[]): string {
  const lines = [
    '| Task | Model | LR grid (valid metric, seed 0) | Chosen LR | Steps (max) | Best-valid step per seed | Clip | Batch |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const e of entries) {
    const p = e.protocol;
    const grid = e.search.map((s) => `${s.learningRate}: ${num(s.bestValid)}`).join(', ');
    lines.push(
      `| ${e.task} | ${LABEL[e.model]} | ${grid} | ${p.learningRate} | ${e.seeds.map((s) => s.steps).join('/')} (${p.maxSteps}) | ${e.seeds.map((s) => s.bestStep).join('/')} | ${p.clipNorm} | ${p.batchSize} |`,
    );
  }
  return lines.join('\n');
}

/** report.md of a paper-suite run. */
export function paperReportMarkdown(results: PaperResultsFile): string {
  const m = results.machine;
  const reproduced = results.entries.filter((e) => e.verdict?.verdict === 'reproduced').length;
  const judged = results.entries.filter((e) => e.verdict !== null).length;
  const sources = [...new Set(results.config.tasks.map((t) => `- **${t}** — ${PAPER_TASKS[t].title}: ${PAPER_TASKS[t].source}. Data: ${PAPER_TASKS[t].data}.`))];
  const out = [
    '# gated compare — paper suite',
    '',
    `${m.cpuModel} × ${m.cpus}, ${m.platform}/${m.arch}, Node ${m.node}, tfjs ${m.tfjsVersion} (${m.tfjsBackend}). Seeds: ${results.config.seeds.length}${results.config.quick ? ' (quick budgets: a smoke run, not a reproduction)' : ''}. CPU time ${(results.cpuSeconds / 60).toFixed(1)} min, wall ${(results.wallSeconds / 60).toFixed(1)} min${results.finishedAt ? '' : ' (run not finished: partial results)'}.${shardNote(results)}`,
    '',
    '## Published results',
    '',
    `${reproduced} of ${judged} published numbers reproduced. "reproduced": our 95% interval of the mean over seeds overlaps the paper's value as printed (± half a unit in its last printed digit) or lies entirely on its better side; otherwise the gap is the distance from that printed range to our interval's nearer end. Lower is better for every metric here. "Budget used": the chosen learning rate, the optimizer steps the seeds ran (of the budget's most) and how many early stopping ended before the budget — a row whose seeds all ran to the end was still improving.`,
    '',
    publishedTable(results.entries),
    '',
    '## Protocol',
    '',
    "Adam; each model's learning rate chosen on the validation split from the grid below (seed 0, early stopping); every seed then trains at that rate with early stopping on validation (evaluated every `evalEvery` steps, stopped after `patience` evaluations without improvement) and is scored on the test split at its best-validation checkpoint. Gradients are rescaled to global norm ≤ clip, as Chung et al. (2014) and Bai et al.'s copy-memory script do.",
    '',
    protocolTable(results.entries),
    '',
    '## Tasks and sources',
    '',
    ...sources,
  ];
  if (results.failures.length > 0) {
    out.push('', '## Failures', '', ...results.failures.map((f) => `- ${f.task}${f.model ? `/${f.model}` : ''}: ${f.code} — ${f.message}`));
  }
  return `${out.join('\n')}\n`;
}

function shardNote(results: PaperResultsFile): string {
  const shard = results.config.shard;
  if (shard) return ` Shard ${shard.index} of ${shard.count}: only its units are here (gated merge joins the shards).`;
  if (results.mergedShards) return ` Merged from ${results.mergedShards} shards: CPU time is their sum, wall time the longest shard's.`;
  return '';
}

/** Writes report.md of a paper-suite run into `dir`. */
export async function writePaperReport(dir: string, results: PaperResultsFile): Promise<void> {
  await writeFileAtomic(join(dir, 'report.md'), paperReportMarkdown(results));
}
