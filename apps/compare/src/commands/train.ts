import { SequenceModel } from '@gated/cells';
import { initBackend } from '@gated/tensor';
import { fit } from '@gated/trainer';
import { parseBackend, parseCount, parseModel, parseTask } from '../cli-args.js';
import { modelOptions, predictor } from '../measure-seed.js';
import { TASKS } from '../tasks/registry.js';

/**
 * `gated train`: trains one model on one task with the task's budget (or `--steps`), optionally checkpointing
 * to and resuming from `--checkpoint-dir`, and prints the held-out metric.
 */
export async function trainCommand(values: Readonly<Record<string, string | boolean | undefined>>, print: (text: string) => void): Promise<number> {
  const task = TASKS[parseTask(values['task'] as string | undefined)];
  const kind = parseModel(values['model'] as string | undefined);
  const budget = task.budgets[values['quick'] === true ? 'quick' : 'default'];
  const seed = parseCount('--seed', values['seed'] as string | undefined, 0);
  const steps = parseCount('--steps', values['steps'] as string | undefined, budget.steps, 1);
  const json = values['json'] === true;
  const backend = await initBackend({ backend: parseBackend(values['backend'] as string | undefined) });
  const prepared = await task.prepare({ ...budget, steps });
  const model = new SequenceModel(modelOptions(kind, prepared, budget.hiddenSize, seed));
  try {
    const checkpointDir = values['checkpoint-dir'] as string | undefined;
    const started = performance.now();
    const result = await fit(model, prepared.trainData(seed), {
      steps,
      loss: prepared.loss,
      learningRate: budget.learningRate,
      clipNorm: 1,
      seed,
      progress: json ? 'none' : 'auto',
      ...(checkpointDir !== undefined ? { checkpointDir, checkpointEvery: Math.max(1, Math.floor(steps / 10)) } : {}),
      ...(values['resume'] === true ? { resume: true } : {}),
    });
    const trainMs = performance.now() - started;
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
      metric: { name: task.metric.name, value: score.metric, higherIsBetter: task.metric.higherIsBetter },
      extraMetrics: score.extras,
      ...(result.checkpoint !== undefined ? { checkpoint: result.checkpoint } : {}),
    };
    if (json) print(`${JSON.stringify(report)}\n`);
    else {
      print(
        `${task.id} ${kind} (H=${budget.hiddenSize}, ${report.params} params, seed ${seed}): ${result.step} steps in ${(trainMs / 1000).toFixed(1)} s, ` +
          `final loss ${result.loss.toFixed(4)}, test ${task.metric.name} ${score.metric.toFixed(4)}\n`,
      );
      if (result.checkpoint !== undefined) print(`Checkpoint: ${result.checkpoint}\n`);
    }
    return 0;
  } finally {
    model.dispose();
    prepared.dispose();
  }
}
