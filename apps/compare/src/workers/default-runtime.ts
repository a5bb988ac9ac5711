// The runtime worker processes of `gated compare` load: the real tasks and the real training phase.
import { trainSeed } from '../measure-seed.js';
import { TASKS } from '../tasks/registry.js';

/** Every task of the comparison. */
export const registry = TASKS;
/** The training phase of one seed. */
export const runSeed = trainSeed;
