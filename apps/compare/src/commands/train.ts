import { SequenceModel } from '@gated/cells';
import { initBackend } from '@gated/tensor';
import { initForgetBias } from '../forget-bias.js';
import { UsageError } from '../errors.js';
import { parseBackend, parseCount, parseModel } from '../cli-args.js';
import { parseFitTask } from './fit-task.js';
import { parseKeep, trainTaskModel } from './train-task-model.js';
import { modelOptions, predictor } from '../measure-seed.js';
import { ensureWritableDir } from '../output-paths.js';
import { TASKS } from '../tasks/registry.js';
import { recurrentTask } from '../tasks/task.js';

/**
 * `gated train`: trains one model on one task with the task's budget (or `--steps`), optionally checkpointing
 * to and resuming from `--checkpoint-dir`, and prints the held-out metric.
 */
export async function trainCommand(values: Readonly<Record<string, string | boolean | undefined>>, print: (text: string) => void): Promise<number> {
  const task = TASKS[parseFitTask(values['task'] as string | undefined)];
  const kind = parseModel(values['model'] as string | undefined);
  const budget = task.budgets[values['quick'] === true ? 'quick' : 'default'];
  const seed = parseCount('--seed', values['seed'] as string | undefined, 0);
  const steps = parseCount('--steps', values['steps'] as string | undefined, budget.steps, 1);
  const json = values['json'] === true;
  const checkpointDir = values['checkpoint-dir'] as string | undefined;
  const resume = values['resume'] === true;
  const keep = parseKeep(values['keep'] as string | undefined, budget);
  if (resume && checkpointDir === undefined) throw new UsageError('--resume', '--checkpoint-dir D to resume from', 'no --checkpoint-dir');
  // Found now, not at the first checkpoint after all the steps.
  if (checkpointDir !== undefined) await ensureWritableDir(checkpointDir, '--checkpoint-dir');
  const backend = await initBackend({ backend: parseBackend(values['backend'] as string | undefined) });
  // parseFitTask let only tasks trained with fit through
  const prepared = recurrentTask(await task.prepare({ ...budget, steps }), task.id);
  const model = new SequenceModel(modelOptions(kind, prepared, budget.hiddenSize, seed));
  // the initialisation the task's grid runs use (the horizon tasks' LSTM forget-gate bias)
  if (budget.forgetBias !== undefined) initForgetBias(model, budget.forgetBias);
  try {
    const { result, startStep, trainMs, bestStep } = await trainTaskModel(model, task, prepared, budget, {
      steps,
      keep,
      seed,
      progress: json ? 'none' : 'auto',
      ...(checkpointDir !== undefined ? { checkpointDir } : {}),
      ...(resume ? { resume: true } : {}),
    });
    if (resume && startStep >= steps) {
      process.stderr.write(`gated: warning: the checkpoint in ${checkpointDir} is already at step ${startStep} (--steps ${steps}): nothing was trained; pass a larger --steps to continue\n`);
    }
    const score = await prepared.evaluate(predictor(model), { subset: false });
    const report = {
      task: task.id,
      model: kind,
      seed,
      backend,
      hiddenSize: budget.hiddenSize,
      params: model.countParams(),
      step: result.step,
      loss: result.loss,
      trainMs,
      keep,
      ...(bestStep !== undefined ? { bestStep } : {}),
      metric: { name: task.metric.name, value: score.metric, higherIsBetter: task.metric.higherIsBetter },
      evaluation: prepared.evaluation.final,
      extraMetrics: score.extras,
      ...(result.checkpoint !== undefined ? { checkpoint: result.checkpoint } : {}),
    };
    if (json) print(`${JSON.stringify(report)}\n`);
    else {
      print(
        `${task.id} ${kind} (H=${budget.hiddenSize}, ${report.params} params, seed ${seed}): ${result.step} steps in ${(trainMs / 1000).toFixed(1)} s, ` +
          `final loss ${result.loss.toFixed(4)}, test ${task.metric.name} ${score.metric.toFixed(4)}` +
          `${bestStep !== undefined ? ` at the best validation checkpoint (step ${bestStep})` : ''} ` +
          `(${prepared.evaluation.final.examples} of ${prepared.evaluation.final.of} ${prepared.evaluation.final.unit})\n`,
      );
      if (result.checkpoint !== undefined) print(`Checkpoint: ${result.checkpoint}\n`);
    }
    return 0;
  } finally {
    model.dispose();
    prepared.dispose();
  }
}
