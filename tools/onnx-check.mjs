#!/usr/bin/env node
// Runs @gated/onnx's tests with GATED_ONNX_DUMP set, so every model they export is written to a temp folder,
// then runs the onnx 1.12 checker (tools/onnx-check.py, Debian python3-onnx) over all of them and the
// torch.onnx.export fixtures. Usage: node tools/onnx-check.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gated-onnx-check-'));
try {
  const tests = spawnSync('npx', ['vitest', 'run', '--project', '@gated/onnx'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, GATED_ONNX_DUMP: dir },
  });
  if (tests.status !== 0) process.exit(tests.status ?? 1);
  const check = spawnSync(
    '/usr/bin/python3',
    [join(root, 'tools/onnx-check.py'), dir, join(root, 'packages/onnx/src/__fixtures__')],
    { stdio: 'inherit' },
  );
  process.exitCode = check.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
