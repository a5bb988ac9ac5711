// The paper suite's cost table (apps/compare/README.md): per task × model the step budget, the measured CPU ms per
// step, seeds, learning-rate candidates and the estimated CPU-minutes when no run stops early, then a shard plan.
// Run from the repository root (tasks and `--seeds N` / `--shards N` optional; default the suite's default tasks):
//   node --conditions=@gated/source --import ./tools/compare/ts-source-loader.mjs tools/paper/cost-table.ts --shards 2
import { paperCostRows, paperCostTable } from '../../apps/compare/src/paper/paper-cost.ts';
import { dealPaperUnits, paperUnits } from '../../apps/compare/src/paper/paper-shard.ts';
import { PAPER_DEFAULT_TASKS, PAPER_TASK_IDS, type PaperTaskId } from '../../apps/compare/src/paper/paper-task.ts';
import { PAPER_TASKS } from '../../apps/compare/src/paper/registry.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const seeds = flag('--seeds', 5);
const shards = flag('--shards', 1);
const named = args.filter((a): a is PaperTaskId => (PAPER_TASK_IDS as readonly string[]).includes(a));
const units = paperUnits(named.length > 0 ? named : [...PAPER_DEFAULT_TASKS], ['lstm', 'gru', 'rnn'], PAPER_TASKS);
const rows = paperCostRows(units, PAPER_TASKS, seeds);
console.log(paperCostTable(rows, seeds));
if (shards > 1) {
  const shardOf = dealPaperUnits(units, shards, (u) => rows[units.indexOf(u)]?.cpuSeconds ?? 0);
  for (let k = 1; k <= shards; k++) {
    const mine = rows.filter((_, i) => shardOf[i] === k);
    console.log(`shard ${k}/${shards}: ${mine.map((r) => `${r.task}/${r.model}`).join(', ')} — ${(mine.reduce((s, r) => s + r.cpuSeconds, 0) / 60).toFixed(1)} CPU-min at most`);
  }
}
