// CPU cost of the paper suite at its `full` settings (the papers' model sizes, batch, sequence length): process CPU
// time (user + system) per optimizer step of each task × model, the median over the timed steps after warm-up, with
// the native kernels at one thread as in a suite run (and the mean, which is what a total costs when steps differ, as
// music-jsb's batches of pieces of different length do); and the CPU time of one validation and one test evaluation.
// CPU time, unlike wall time, stays meaningful on a shared machine (it still varies with cache and SMT contention).
// Run from the repository root (tasks as arguments, default every task; `--steps N` timed steps, default 20):
//   nice node --conditions=@gated/source --import ./tools/compare/ts-source-loader.mjs tools/paper/step-cost.ts music-jsb
import { SequenceModel } from '@gated/cells';
import { Seq2Seq } from '@gated/seq2seq';
import { initBackend } from '@gated/tensor';
import { median, predictor } from '../../apps/compare/src/measure-seed.ts';
import { PAPER_TASKS } from '../../apps/compare/src/paper/registry.ts';
import { trainEarlyStopping } from '../../apps/compare/src/paper/train-early-stopping.ts';
import { PAPER_TASK_IDS, type PaperTaskId } from '../../apps/compare/src/paper/paper-task.ts';
import { evaluateG2P, g2pModelOptions, loadG2PData, trainG2P } from '../../apps/compare/src/tasks/text-g2p.ts';
import { useTrainingThreads } from '../../apps/compare/src/training-threads.ts';

const cpuMs = (since?: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

const args = process.argv.slice(2);
const stepsAt = args.indexOf('--steps');
const timed = stepsAt >= 0 ? Number(args[stepsAt + 1]) : 20;
const tasks = (args.filter((a, i) => !a.startsWith('--') && i !== stepsAt + 1) as PaperTaskId[]).filter((t) => PAPER_TASK_IDS.includes(t));
const warmup = 3;
const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

await initBackend({ backend: 'auto' });
const threadsBefore = useTrainingThreads();
console.log(`native kernel threads: ${threadsBefore === null ? 'native kernels not loaded' : `1 (was ${threadsBefore})`}; ${warmup} warm-up + ${timed} timed steps`);
const rows: Record<string, unknown>[] = [];

for (const id of tasks.length > 0 ? tasks : PAPER_TASK_IDS) {
  const def = PAPER_TASKS[id];
  const budget = def.budgets.full;
  if (id === 'text-g2p' || id === 'text-g2p-plain') {
    const data = await loadG2PData();
    for (const kind of ['lstm', 'gru'] as const) {
      const hidden = def.models[kind]?.hiddenSize ?? 256;
      const model = new Seq2Seq(g2pModelOptions(kind, id === 'text-g2p', { hiddenSize: hidden, embeddingDim: hidden / 2, numLayers: 2 }, data.vocabulary, 0));
      const marks: number[] = [];
      await trainG2P(model, data, { steps: warmup + timed, batchSize: budget.batchSize, learningRate: 0.001 }, 0, () => {
        marks.push(cpuMs());
        return undefined;
      });
      const perStep = marks.slice(warmup).map((m, i) => m - (marks[warmup + i - 1] ?? m));
      const words = 200;
      let t = cpuMs();
      evaluateG2P(model, data.vocabulary, data.validation.slice(0, words), 1);
      const greedyPerWord = (cpuMs() - t) / words;
      t = cpuMs();
      evaluateG2P(model, data.vocabulary, data.test.slice(0, 100), 5);
      const beamPerWord = (cpuMs() - t) / 100;
      const row = {
        task: id, model: kind, params: model.countParams(), stepMs: median(perStep), meanStepMs: mean(perStep),
        validEvalMs: greedyPerWord * (budget.validSize ?? 1000), testEvalMs: beamPerWord * data.test.length, testWords: data.test.length,
      };
      rows.push(row);
      console.log(JSON.stringify(row));
      model.dispose();
    }
    continue;
  }
  const task = await def.prepare(budget);
  for (const [kind, m] of Object.entries(def.models)) {
    if (m === undefined) continue;
    const spec = task.model;
    if (spec.input.kind !== 'features') continue;
    const model = new SequenceModel({ kind: kind as 'lstm', inputSize: spec.input.inputSize, hiddenSize: m.hiddenSize, outputSize: spec.outputSize, pooling: spec.pooling, seed: 0 });
    const marks: number[] = [];
    // One evaluation at step 0 and one at the end (evalEvery beyond the run): the steps in between are pure training.
    await trainEarlyStopping({ model, task, budget: { ...budget, evalEvery: 1e9 }, learningRate: budget.learningRates[0] ?? 0.001, maxSteps: warmup + timed, seed: 0, onStep: () => marks.push(cpuMs()) });
    const perStep = marks.slice(warmup).map((mk, i) => mk - (marks[warmup + i - 1] ?? mk));
    const predict = predictor(model);
    let t = cpuMs();
    await task.evaluate(predict, 'valid');
    const validEvalMs = cpuMs() - t;
    t = cpuMs();
    await task.evaluate(predict, 'test');
    const testEvalMs = cpuMs() - t;
    const row = { task: id, model: kind, params: model.countParams(), stepMs: median(perStep), meanStepMs: mean(perStep), validEvalMs, testEvalMs };
    rows.push(row);
    console.log(JSON.stringify(row));
    model.dispose();
  }
  task.dispose();
}
console.table(rows);
