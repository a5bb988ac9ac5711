import { memoryAddingPaper } from './memory-adding.js';
import { memoryCopyPaper } from './memory-copy.js';
import { musicJsb } from './music-jsb.js';
import type { PaperTaskDefinition, PaperTaskId } from './paper-task.js';
import { textG2PPaper, textG2PPlainPaper } from './text-g2p-paper.js';

/** Every task of the `paper` suite by id. */
export const PAPER_TASKS: Readonly<Record<PaperTaskId, PaperTaskDefinition>> = {
  'music-jsb': musicJsb,
  'memory-adding': memoryAddingPaper,
  'memory-copy': memoryCopyPaper,
  'text-g2p': textG2PPaper,
  'text-g2p-plain': textG2PPlainPaper,
};
