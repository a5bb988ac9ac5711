import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';

// Worker processes load the app from source; on a busy shared machine that alone can take a minute.
const SLOW = 300_000;
import { readResults } from '../run-dir.js';
import { workerExecArgv } from './module-url.js';

const SCRIPT = new URL('../test-utils/interrupted-run.ts', import.meta.url).pathname;

// A killed process whose parent is gone may linger as a zombie (state Z) until PID 1 reaps it: not running.
function running(pid: number): boolean {
  try {
    const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)]).toString().trim();
    return state !== '' && !state.startsWith('Z');
  } catch {
    return false;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)]).toString().trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

describe('Ctrl-C', () => {
  it('stops gated compare and all its workers, leaving every finished entry readable', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gated-sigint-')), 'run');
    const child = spawn(process.execPath, [...workerExecArgv(), SCRIPT, out], {
      env: { ...process.env, GATED_FAKE_STEP_MS: '150' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const file = join(out, 'results.json');
    // Wait until a first entry is written (and the workers are busy with the others).
    for (let i = 0; i < 1200 && !(existsSync(file) && readResults(out).runs.length > 0); i++) await sleep(100);
    expect(readResults(out).runs.length).toBeGreaterThan(0);
    const workers = childrenOf(child.pid!);
    expect(workers.length).toBe(2);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain(`interrupted; the finished entries are in ${out}/results.json`);
    await sleep(200);
    expect(workers.filter(running)).toEqual([]);
    const results = readResults(out);
    expect(results.finishedAt).toBeUndefined();
    expect(results.runs.length).toBeGreaterThan(0);
    expect(results.runs.length).toBeLessThan(8);
  }, SLOW);
});
