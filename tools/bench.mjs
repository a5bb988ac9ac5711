#!/usr/bin/env node
// `npm run bench`: runs every benchmark under tools/bench/ (each prints ratios against its peer measured in the
// same run and writes JSON under bench-results/). Pass names to run only some: `npm run bench -- cells fused`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { run, workspaceRoot } from './run.mjs';

const dir = join(workspaceRoot, 'tools', 'bench');
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.mjs$/, '')));
let failed = 0;
for (const file of benches) {
  console.log(`\n=== bench ${file} ===`);
  if ((await run('node', [join(dir, file)], { cwd: workspaceRoot })) !== 0) failed += 1;
}
console.log(`\n${benches.length - failed} benchmarks ran, ${failed} failed; JSON in bench-results/`);
process.exit(failed > 0 ? 1 : 0);
