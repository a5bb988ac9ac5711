import { parseTask } from '../cli-args.js';
import { UsageError } from '../errors.js';
import { TASK_IDS, type TaskId } from '../grid.js';

/** Tasks that train with a loop of their own (not `fit` with a per-step loss), and the command that trains them. */
const OWN_TRAINING: Partial<Record<TaskId, string>> = {
  'speech-ctc': 'gated transcribe --train MODEL.onnx',
  'text-g2p': 'gated g2p --train --out MODEL.onnx',
  'text-g2p-plain': 'gated g2p --train --attention none --out MODEL.onnx',
};

/** `--task` of `gated train` / `gated export`: any task trained with `fit`; a CTC task names its own command. */
export function parseFitTask(value: string | undefined): TaskId {
  const id = parseTask(value);
  const command = OWN_TRAINING[id];
  if (command !== undefined) {
    throw new UsageError('--task', `a task trained with fit (${id} trains with its own loss: use ${command})`, id, TASK_IDS.filter((t) => OWN_TRAINING[t] === undefined));
  }
  return id;
}
