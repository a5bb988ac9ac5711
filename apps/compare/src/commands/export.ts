import { SequenceModel } from '@gated/cells';
import { exportOnnxFile } from '@gated/onnx';
import { initBackend } from '@gated/tensor';
import { initForgetBias } from '../forget-bias.js';
import { parseBackend, parseCount, parseModel } from '../cli-args.js';
import { parseFitTask } from './fit-task.js';
import { parseKeep, trainTaskModel } from './train-task-model.js';
import { UsageError } from '../errors.js';
import { modelOptions } from '../measure-seed.js';
import { ensureWritableFile } from '../output-paths.js';
import { TASKS } from '../tasks/registry.js';
import { recurrentTask } from '../tasks/task.js';

/** `gated export`: builds a task's model (trained for `--steps`, default 0) and writes it as ONNX. */
export async function exportCommand(values: Readonly<Record<string, string | boolean | undefined>>, print: (text: string) => void): Promise<number> {
  const task = TASKS[parseFitTask(values['task'] as string | undefined)];
  const kind = parseModel(values['model'] as string | undefined);
  const out = values['out'] as string | undefined;
  if (out === undefined) throw new UsageError('--out', 'the .onnx file to write', 'nothing');
  const seed = parseCount('--seed', values['seed'] as string | undefined, 0);
  const steps = parseCount('--steps', values['steps'] as string | undefined, 0);
  const budget = task.budgets.default;
  const keep = parseKeep(values['keep'] as string | undefined, budget);
  await ensureWritableFile(out, '--out');
  await initBackend({ backend: parseBackend(values['backend'] as string | undefined) });
  // parseFitTask let only tasks trained with fit through
  const prepared = recurrentTask(await task.prepare({ ...budget, steps: Math.max(1, steps) }), task.id);
  const model = new SequenceModel(modelOptions(kind, prepared, budget.hiddenSize, seed));
  // the initialisation the task's grid runs use (the horizon tasks' LSTM forget-gate bias)
  if (budget.forgetBias !== undefined) initForgetBias(model, budget.forgetBias);
  try {
    const bestStep = steps > 0 ? (await trainTaskModel(model, task, prepared, budget, { steps, keep, seed, progress: 'auto' })).bestStep : undefined;
    const lengths = prepared.model.pooling !== 'none' && prepared.model.input.kind === 'tokens';
    await exportOnnxFile(out, model, { lengths, preprocessing: { task: task.id } });
    print(`Wrote ${out}: ${task.id} ${kind}, H=${budget.hiddenSize}, ${model.countParams()} parameters, ${steps} training steps${bestStep !== undefined ? ` (the best validation checkpoint, step ${bestStep})` : ''}${lengths ? ', input lengths' : ''}.\n`);
    return 0;
  } finally {
    model.dispose();
    prepared.dispose();
  }
}
