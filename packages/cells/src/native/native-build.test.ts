import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@gated/tensor';
import { describe, expect, it } from 'vitest';
import { KINDS, disposeProblem, problem, run } from './__fixtures__/native-problems.js';
import { nativeAvailable, nativeInfo, setNativeThreads } from './index.js';
import { useNativeBinary } from './native-addon.js';

// The committed prebuilt binary must be what native/build.sh makes from the committed sources. Bytes need not match
// (another clang may schedule differently); behaviour must: every kernel, forward and backward, on the shared
// problems, on 1 and 2 threads. Stated tolerance: 1e-6 (+1e-6 relative) — same-source builds agree to rounding.
const TOL = 1e-6;
const BUILD = fileURLToPath(new URL('../../native/build.sh', import.meta.url));

const clang = spawnSync(process.env['CLANG'] ?? 'clang', ['--version'], { encoding: 'utf8' });
const headers = spawnSync(process.execPath, ['-e', "require.resolve('node-api-headers')"], { cwd: fileURLToPath(new URL('../..', import.meta.url)) });
const skipReason = !nativeAvailable()
  ? 'no committed binary loads on this platform'
  : clang.status !== 0 ? 'clang not installed (apt-get install clang)'
    : headers.status !== 0 ? 'node-api-headers not installed (npm ci)' : null;

describe('the committed native binary', () => {
  it.skipIf(skipReason !== null)(
    `behaves like what native/build.sh builds now${skipReason ? ` (skipped: ${skipReason})` : ''}`,
    async () => {
      await initBackend({ backend: 'wasm' });
      const dir = mkdtempSync(join(tmpdir(), 'gated-native-'));
      const before = nativeInfo();
      try {
        const out = join(dir, 'gated-kernels.node');
        const build = spawnSync('bash', [BUILD, out], { encoding: 'utf8' });
        expect(build.status, build.stderr).toBe(0);
        const results = (path: string) => {
          useNativeBinary(path);
          return [1, 2].flatMap((threads) => {
            setNativeThreads(threads);
            return KINDS.map((kind) => {
              const p = problem(kind, 5);
              const r = run(kind, p, 'native');
              disposeProblem(p);
              return r;
            });
          });
        };
        const committed = results(before.path);
        const rebuilt = results(out);
        expect(rebuilt.length).toBe(committed.length);
        rebuilt.forEach((arrays, k) => {
          arrays.forEach((v, i) => {
            const e = committed[k]![i]!;
            expect(v.length).toBe(e.length);
            const worst = v.reduce((m, x, j) => Math.max(m, Math.abs(x - e[j]!) - TOL * Math.abs(e[j]!)), 0);
            expect(worst, `problem ${k}, array ${i}`).toBeLessThanOrEqual(TOL);
          });
        });
      } finally {
        useNativeBinary(before.path);
        setNativeThreads(before.threads);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
