import type { HorizonTaskId, TaskId } from '../grid.js';
import { HORIZON_TASKS } from './horizon-sweep.js';
import { memoryAdding } from './memory-adding.js';
import { speechCtc } from './speech-ctc.js';
import { speechDigits } from './speech-digits.js';
import type { TaskDefinition } from './task.js';
import { textClassify } from './text-classify.js';
import { textG2P, textG2PPlain } from './text-g2p-task.js';
import { textLm } from './text-lm.js';
import { timeseriesCo2 } from './timeseries-co2.js';

/** Every task of the comparison by id. */
export const TASKS: Readonly<Record<TaskId, TaskDefinition>> = {
  'text-lm': textLm,
  'text-classify': textClassify,
  'text-g2p': textG2P,
  'text-g2p-plain': textG2PPlain,
  'speech-digits': speechDigits,
  'speech-ctc': speechCtc,
  'timeseries-co2': timeseriesCo2,
  'memory-adding': memoryAdding,
  ...(Object.fromEntries(HORIZON_TASKS.map((t) => [t.id, t])) as Record<HorizonTaskId, TaskDefinition>),
};
