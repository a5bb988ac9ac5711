// One seed of one paper-suite model at its `full` budget, with budget fields overridden from the command line: the
// validation curve, where early stopping ended, the test score and the process CPU time. For checking what a budget
// buys before a suite run. Run from the repository root, e.g.:
//   nice node --conditions=@gated/source --import ./tools/compare/ts-source-loader.mjs tools/paper/curve.ts \
//     music-jsb gru lr=0.02 maxSteps=3000 evalEvery=30 patience=10
import { SequenceModel } from '@gated/cells';
import { initBackend } from '@gated/tensor';
import { predictor } from '../../apps/compare/src/measure-seed.ts';
import type { PaperBudget, PaperTaskId } from '../../apps/compare/src/paper/paper-task.ts';
import { PAPER_TASKS } from '../../apps/compare/src/paper/registry.ts';
import { trainEarlyStopping } from '../../apps/compare/src/paper/train-early-stopping.ts';
import { useTrainingThreads } from '../../apps/compare/src/training-threads.ts';

const [taskId, kind, ...rest] = process.argv.slice(2) as [PaperTaskId, 'lstm' | 'gru' | 'rnn', ...string[]];
const def = PAPER_TASKS[taskId];
const overrides = Object.fromEntries(rest.map((a) => a.split('=')).map(([k, v]) => [k, Number(v)]));
const { lr = def.budgets.full.learningRates[0] ?? 0.001, seed = 0, ...budgetFields } = overrides;
const budget: PaperBudget = { ...def.budgets.full, ...budgetFields };
await initBackend({ backend: 'auto' });
useTrainingThreads();
const cpu0 = process.cpuUsage();
const task = await def.prepare(budget);
const hiddenSize = def.models[kind]?.hiddenSize ?? 0;
const spec = task.model;
if (spec.input.kind !== 'features') throw new Error('a generated or music task');
const model = new SequenceModel({ kind, inputSize: spec.input.inputSize, hiddenSize, outputSize: spec.outputSize, pooling: spec.pooling, seed });
let last = 0;
const run = await trainEarlyStopping({
  model, task, budget, learningRate: lr, maxSteps: budget.maxSteps, seed,
  onStep: (step, loss) => {
    if (step - last >= budget.evalEvery) {
      last = step;
      const u = process.cpuUsage(cpu0);
      console.log(`step ${step} loss ${loss.toPrecision(4)} cpu ${((u.user + u.system) / 1e6).toFixed(0)} s`);
    }
  },
});
const test = await task.evaluate(predictor(model), 'test');
const u = process.cpuUsage(cpu0);
console.log(`valid curve: ${run.validCurve.step.map((s, i) => `${s}:${run.validCurve.metric[i]?.toPrecision(4)}`).join(' ')}`);
console.log(JSON.stringify({ taskId, kind, lr, seed, budget, bestValid: run.bestValid, bestStep: run.bestStep, steps: run.steps, stoppedEarly: run.stoppedEarly, test, cpuSeconds: (u.user + u.system) / 1e6 }));
model.dispose();
task.dispose();
