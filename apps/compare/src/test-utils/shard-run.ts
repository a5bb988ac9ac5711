// One shard process of the Indexed Job test: resolves its options as `gated compare` does (the shard from
// JOB_COMPLETION_INDEX / JOB_COMPLETIONS), then trains for real; the speed phase is faked (timings are not compared).
import { compareOptionsFrom } from '../commands/compare.js';
import { trainSeed } from '../measure-seed.js';
import { runCompare } from '../run-compare.js';
import { TASKS } from '../tasks/registry.js';
import { runSpeed } from './fake-runtime.js';

const options = compareOptionsFrom({ quick: true, tasks: 'text-g2p,timeseries-co2,memory-adding', seeds: '1', backend: 'wasm', workers: '1', quiet: true, out: process.argv[2]! });
await runCompare({ ...options, registry: TASKS, runSeed: trainSeed, runSpeed });
