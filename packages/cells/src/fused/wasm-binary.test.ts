import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kernelBytes } from './wasm-kernels.js';
import { KERNEL_COMPILER, KERNEL_SHA256 } from './wasm-binary.js';

const BUILD = fileURLToPath(new URL('../../kernels/build.sh', import.meta.url));
const COMMITTED = fileURLToPath(new URL('./wasm-binary.ts', import.meta.url));

const clang = spawnSync(process.env['CLANG'] ?? 'clang', ['--version'], { encoding: 'utf8' });
const localCompiler = clang.status === 0 ? clang.stdout.split('\n')[0]!.trim() : null;
const hasLinker = spawnSync('wasm-ld', ['--version']).status === 0;
const skipReason =
  localCompiler === null ? 'clang not installed' : !hasLinker ? 'wasm-ld not installed (apt-get install lld)'
    : localCompiler !== KERNEL_COMPILER ? `clang here is "${localCompiler}", the artifact was built by "${KERNEL_COMPILER}"` : null;

describe('the committed kernel artifact', () => {
  it('decodes to the wasm whose SHA-256 it records', () => {
    expect(createHash('sha256').update(kernelBytes()).digest('hex')).toBe(KERNEL_SHA256);
  });

  it.skipIf(skipReason !== null)(
    `is byte-identical to what kernels/build.sh builds now${skipReason ? ` (skipped: ${skipReason})` : ''}`,
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'gated-kernel-'));
      try {
        const run = spawnSync('bash', [BUILD, dir], { encoding: 'utf8' });
        expect(run.status, run.stderr).toBe(0);
        const rebuilt = readFileSync(join(dir, 'wasm-binary.ts'), 'utf8');
        // On a mismatch: run packages/cells/kernels/build.sh and commit src/fused/wasm-binary.ts.
        expect(rebuilt === readFileSync(COMMITTED, 'utf8'), 'src/fused/wasm-binary.ts is stale: run packages/cells/kernels/build.sh').toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
