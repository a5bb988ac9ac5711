#!/usr/bin/env node
// The `gated` command. A committed launcher rather than dist/cli.js itself: npm links node_modules/.bin/gated
// at install time only when the bin target exists, and dist/ does not exist until the first build — without this
// file `npx gated` after `npm ci` would ask the registry for a package called "gated" instead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const inWorkspace = existsSync(new URL('../../../nx.json', import.meta.url));
  if (!inWorkspace) {
    process.stderr.write('gated: the CLI is not built (dist/cli.js is missing): run `npm run build` first.\n');
    process.exit(1);
  }
  // First run after `npm ci`: build the CLI and the packages it uses (Nx caches the result), then run it.
  process.stderr.write('gated: building the CLI first (once after install; `npm run build` does the same)…\n');
  const env = { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' };
  const build = spawnSync('npx', ['nx', 'run', '@gated/compare:build', '--outputStyle=stream'], { cwd: root, env, stdio: ['ignore', 2, 2] });
  if (build.status !== 0 || !existsSync(cli)) {
    process.stderr.write(`gated: the build failed (exit ${build.status ?? build.signal}); run \`npm run build\` in ${root} to see why.\n`);
    process.exit(1);
  }
}
await import(cli.href);
