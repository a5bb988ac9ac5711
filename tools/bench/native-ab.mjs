#!/usr/bin/env node
// A/B of two builds of the native kernels (Node-API addon binaries) on the raw kernel calls, interleaved in one
// process so both see the same machine load; for judging a kernel change on a busy machine, where whole-benchmark
// runs of separate processes are too noisy. Each call is timed in CPU time of this process (process.cpuUsage: what
// the kernels consumed, not how long they waited for a core) and in wall time; medians over --reps.
//   git show HEAD~1:packages/cells/prebuilds/linux-x64/gated-kernels.node > /tmp/before.node
//   node tools/bench/native-ab.mjs /tmp/before.node packages/cells/prebuilds/linux-x64/gated-kernels.node [--threads 1] [--reps 15]
// Ratios are A / B (> 1: B is faster). Workloads as in tools/bench/native.mjs (W1 B32 T50 I32 H128, W3 B64 T100 I64
// H256, W2 B1 T200 I32 H256). With more than one thread the CPU time is every thread's. Phases: the forward keeping activations for a backward ("train fwd"), the backward, and the
// forward of inference (no activations kept: both binaries are passed null saved-activation buffers only when both
// support it — builds before inference mode get the kept buffers). Writes bench-results/native-ab.json.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs, benchOption } from './lib/bench-args.mjs';

const args = benchArgs;
const opt = benchOption;
const paths = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')).slice(0, 2);
if (paths.length !== 2) {
  console.error('usage: node tools/bench/native-ab.mjs A.node B.node [--threads N] [--reps N] [--no-infer-a]');
  process.exit(2);
}
const THREADS = Number(opt('threads', 1));
const REPS = Number(opt('reps', 15));
// builds from before inference mode write to the saved-activation buffers unconditionally: give them real ones
const inferNull = [!args.includes('--no-infer-a'), true];
const req = createRequire(import.meta.url);
const mods = paths.map((p) => req(resolve(p)));
for (const k of mods) k.set_threads(THREADS);

const W = { W1: [32, 50, 32, 128], W3: [64, 100, 64, 256], W2: [1, 200, 32, 256] };
const cpuMs = (a, b) => (b.user + b.system - a.user - a.system) / 1000;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The calls of one workload on one binary: buffers allocated once, kept below the arena's floor. */
function calls(k, m, kind, [B, T, I, H]) {
  k.arena_reset();
  const G = (kind === 'lstm' ? 4 : 3) * H;
  const al = (n, s = 1) => {
    const p = k.arena_alloc(Math.max(n, 1) * 4);
    const a = new Float32Array(k.memory.buffer, p, n);
    for (let i = 0; i < n; i++) a[i] = Math.sin(i * s) * 0.1;
    return p;
  };
  const x = al(T * B * I, 1.3), wih = al(G * I, 0.7), whh = al(G * H, 0.9), bih = al(G), bhh = al(G, 2), h0 = al(B * H), c0 = al(B * H);
  const out = al(T * B * H), hn = al(B * H), cn = al(B * H), gates = al(T * B * G), cs = al(T * B * H), saved = al(T * B * 4 * H);
  const dout = al(T * B * H, 1.1), dhn = al(B * H), dx = al(T * B * I), dwih = al(G * I), dwhh = al(G * H), db = al(G), db2 = al(G), dh0 = al(B * H), dc0 = al(B * H);
  k.arena_keep();
  const nul = inferNull[m];
  if (kind === 'lstm') {
    const fwd = (keep) => k.lstm_forward(T, B, I, H, 0, 0, x, wih, whh, 0, 0, bih, bhh, 0, 0, 0, 0, h0, c0, out, hn, cn, keep || !nul ? gates : 0, keep || !nul ? cs : 0);
    return {
      'train fwd': () => fwd(true),
      bwd: () => k.lstm_backward(T, B, I, H, 0, 0, x, wih, whh, 0, 0, 0, 0, h0, c0, out, gates, cs, dout, dhn, cn, dx, dwih, dwhh, db, 0, 0, dh0, dc0),
      infer: () => fwd(false),
    };
  }
  const fwd = (keep) => k.gru_forward(T, B, I, H, 0, 1, x, wih, whh, 0, 0, bih, bhh, 0, 0, h0, out, hn, keep || !nul ? saved : 0);
  return {
    'train fwd': () => fwd(true),
    bwd: () => k.gru_backward(T, B, I, H, 0, 1, x, wih, whh, 0, 0, h0, out, saved, dout, dhn, dx, dwih, dwhh, db, db2, dh0),
    infer: () => fwd(false),
  };
}

const rows = [];
console.log(`A ${paths[0]}\nB ${paths[1]}\n${THREADS} thread(s), median of ${REPS} interleaved calls; ratio A / B (> 1: B faster)`);
console.log(`${'workload'.padEnd(22)} ${'A cpu ms'.padStart(9)} ${'B cpu ms'.padStart(9)} ${'cpu A/B'.padStart(8)} ${'wall A/B'.padStart(9)}`);
for (const kind of ['lstm', 'gru']) {
  for (const [w, dims] of Object.entries(W)) {
    const sets = mods.map((k, m) => calls(k, m, kind, dims));
    for (const phase of Object.keys(sets[0])) {
      if (w === 'W2' && phase !== 'infer') continue;
      const cpu = [[], []], wall = [[], []];
      for (let r = 0; r < REPS + 2; r++) {
        for (const m of [0, 1]) {
          const c0 = process.cpuUsage(), t0 = performance.now();
          sets[m][phase]();
          if (r < 2) continue; // warm-up
          wall[m].push(performance.now() - t0);
          cpu[m].push(cpuMs(c0, process.cpuUsage()));
        }
      }
      const c = cpu.map(median), t = wall.map(median);
      const row = { workload: `${w} ${kind} ${phase}`, cpuMs: c, wallMs: t, cpuRatio: c[0] / c[1], wallRatio: t[0] / t[1] };
      rows.push(row);
      console.log(`${row.workload.padEnd(22)} ${c[0].toFixed(2).padStart(9)} ${c[1].toFixed(2).padStart(9)} ${row.cpuRatio.toFixed(2).padStart(7)}× ${row.wallRatio.toFixed(2).padStart(8)}×`);
    }
  }
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
mkdirSync(join(root, 'bench-results'), { recursive: true });
const file = join(root, 'bench-results', 'native-ab.json');
writeFileSync(`${file}.tmp`, `${JSON.stringify({ a: paths[0], b: paths[1], threads: THREADS, reps: REPS, rows }, null, 2)}\n`);
renameSync(`${file}.tmp`, file);
