#!/usr/bin/env node
// Long fuzzing runs of the property tests (*.fuzz.test.ts) that `npm test` runs short and seeded.
//
//   node tools/fuzz/soak.mjs [--runs 20000] [--seed 12345] [--project @gated/tensor]…
//
// Each fuzz test reads FUZZ_RUNS and FUZZ_SEED (see tools/test-utils/fuzz.ts). Without --seed a fresh
// random seed is drawn and printed, so a failure can be replayed with the same --seed. Exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { workspaceRoot } from '../run.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20000' },
    seed: { type: 'string' },
    project: { type: 'string', multiple: true },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs: expected a positive integer, got ${values.runs}`);
  process.exit(2);
}
const seed = values.seed === undefined ? randomInt(2 ** 31) : Number(values.seed);
if (!Number.isInteger(seed)) {
  console.error(`--seed: expected an integer, got ${values.seed}`);
  process.exit(2);
}
const projects = values.project ?? [
  '@gated/tensor',
  '@gated/datasets-speech',
  '@gated/datasets-timeseries',
  '@gated/datasets-text',
  '@gated/trainer',
  '@gated/onnx',
  '@gated/compare',
];
console.log(`fuzz soak: ${runs} runs per property, seed ${seed} (replay with --seed ${seed})`);
const started = Date.now();
const result = spawnSync('npx', ['vitest', 'run', ...projects.flatMap((p) => ['--project', p]), '--testTimeout', '0', 'fuzz.test'], {
  cwd: workspaceRoot,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: String(seed) },
});
console.log(`fuzz soak: ${result.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s (seed ${seed})`);
process.exit(result.status ?? 1);
