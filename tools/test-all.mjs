#!/usr/bin/env node
// `npm test`: typecheck and lint every project, run every package's tests in one Vitest run, then prove each
// package packs, installs and imports on its own, and that `npx gated` works from a fresh clone. Ends with one "N passed, N failed" line.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { run, workspaceRoot } from './run.mjs';

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const opts = { cwd: workspaceRoot, env };
const steps = [];

async function step(name, command, args) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const code = await run(command, args, opts);
  steps.push({ name, ok: code === 0, seconds: (Date.now() - started) / 1000 });
  return code === 0;
}

const checked =
  (await step('package boundaries', 'node', ['tools/check-boundaries.mjs'])) &&
  (await step('typecheck + lint (nx)', 'npx', ['nx', 'run-many', '-t', 'typecheck', 'lint', '--outputStyle=stream']));

const report = join(workspaceRoot, '.vitest-results.json');
await rm(report, { force: true });
const tested = await step('unit and integration tests (vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
let counts = { passed: 0, failed: 0, skipped: 0 };
try {
  const results = JSON.parse(await readFile(report, 'utf8'));
  counts = { passed: results.numPassedTests, failed: results.numFailedTests, skipped: results.numPendingTests + results.numTodoTests };
} catch {
  // No report: the run itself broke before any test could report.
}
// Boundaries+typecheck+lint and pack+import count as one check each; a broken Vitest run counts even with no failed test.
counts[checked ? 'passed' : 'failed'] += 1;
if (!tested && counts.failed === 0) counts.failed += 1;

const packed = await step('pack, install and import every package', 'node', ['tools/pack-and-import.mjs']);
counts[packed ? 'passed' : 'failed'] += 1;
const cloned = await step('npx gated from a fresh clone after npm ci', 'node', ['tools/fresh-clone-check.mjs']);
counts[cloned ? 'passed' : 'failed'] += 1;

console.log('\nsummary');
for (const s of steps) console.log(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.name} (${s.seconds.toFixed(0)} s)`);
console.log(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(steps.every((s) => s.ok) && counts.failed === 0 ? 0 : 1);
