#!/usr/bin/env node
// Proves the README's `npx gated …` works from a fresh clone: clone the committed tree into a temporary folder,
// `npm ci` (offline from the npm cache when it can, else from the registry), check node_modules/.bin/gated is
// linked, then run `npx gated --help` (the first run builds the CLI) and again (built). npx is kept offline so a
// missing link fails here instead of fetching some package called "gated". Also checks that a closed output pipe
// (`gated features a.wav | head -1`) ends quietly.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from './run.mjs';

const clone = mkdtempSync(join(tmpdir(), 'gated-clone-'));
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', npm_config_offline: 'true', ONNXRUNTIME_NODE_INSTALL: 'skip' };
let failures = 0;
const fail = (message) => {
  failures += 1;
  console.error(`✗ ${message}`);
};
const sh = (command, options = {}) => spawnSync('bash', ['-c', command], { cwd: clone, env, encoding: 'utf8', ...options });

/** A 0.5 s 440 Hz tone, 16-bit PCM mono at 8 kHz. */
function toneWav() {
  const n = 4000;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) data.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / 8000)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

try {
  const cloned = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', workspaceRoot, clone], { encoding: 'utf8' });
  if (cloned.status !== 0) throw new Error(`git clone failed: ${cloned.stderr}`);
  let ci = sh('npm ci --no-audit --no-fund --loglevel=error');
  if (ci.status !== 0) {
    console.log('npm ci --offline could not use the cache alone; retrying with the registry');
    ci = sh('npm ci --no-audit --no-fund --loglevel=error', { env: { ...env, npm_config_offline: 'false', npm_config_prefer_offline: 'true' } });
  }
  if (ci.status !== 0) throw new Error(`npm ci failed: ${ci.stderr.slice(-2000)}`);
  if (!existsSync(join(clone, 'node_modules', '.bin', 'gated'))) fail('npm ci did not link node_modules/.bin/gated');
  else console.log('✓ npm ci links node_modules/.bin/gated');
  for (const when of ['first run (builds the CLI)', 'second run (built)']) {
    const help = sh('npx gated --help');
    if (help.status !== 0 || !help.stdout.includes('Commands:')) fail(`npx gated --help, ${when}: exit ${help.status}\n${help.stderr.slice(-1500)}`);
    else console.log(`✓ npx gated --help, ${when}`);
  }
  writeFileSync(join(clone, 'a.wav'), toneWav());
  // `true` exits without reading: every write of gated hits a closed pipe.
  const piped = sh('npx gated features a.wav | true; echo "gated exit $PIPESTATUS" >&2');
  if (!/gated exit 0\s*$/.test(piped.stderr) || /EPIPE|\n\s+at /.test(piped.stderr)) fail(`gated features a.wav | true: ${piped.stderr.slice(-800)}`);
  else console.log('✓ gated features a.wav | true ends quietly with exit code 0');
  const head = sh('npx gated features a.wav | head -1');
  if (head.status !== 0 || !head.stdout.startsWith('a.wav: 8000 Hz') || head.stderr.includes('EPIPE')) fail(`gated features a.wav | head -1: ${head.stdout}${head.stderr}`);
  else console.log(`✓ gated features a.wav | head -1 → ${head.stdout.trim()}`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  rmSync(clone, { recursive: true, force: true });
}
if (failures > 0) {
  console.error(`fresh-clone-check: ${failures} problem(s)`);
  process.exit(1);
}
console.log('fresh-clone-check: npx gated works from a fresh clone right after npm ci');
