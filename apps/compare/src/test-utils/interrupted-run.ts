// `gated compare --workers 2` on the fake runtime, for the Ctrl-C test: node (with the source loader)
// interrupted-run.ts OUT_DIR. The test sends SIGINT once an entry is written.
import { compareCommand } from '../commands/compare.js';
import { registry, runSeed, runSpeed } from './fake-runtime.js';

const out = process.argv[2]!;
const values = { tasks: 'timeseries-co2,memory-adding', seeds: '2', quick: true, backend: 'cpu', workers: '2', quiet: true, out };
process.exitCode = await compareCommand(values, (t) => void process.stdout.write(t), {
  registry,
  runSeed,
  runSpeed,
  workerRuntime: new URL('./fake-runtime.ts', import.meta.url).href,
});
