import { memoryAddingPaper } from './memory-adding.js';
import { memoryCopyPaper } from './memory-copy.js';
import { musicJsb } from './music-jsb.js';
import type { PaperTaskDefinition, PaperTaskId } from './paper-task.js';

/** Every task of the `paper` suite by id. */
export const PAPER_TASKS: Readonly<Record<PaperTaskId, PaperTaskDefinition>> = {
  'music-jsb': musicJsb,
  'memory-adding': memoryAddingPaper,
  'memory-copy': memoryCopyPaper,
};
