#!/usr/bin/env node
// What reading a large result back costs around the native kernels: W3 inference (batch 64, seq 100, in 64, hidden
// 256) through the public API, `fusedLstmSequence` / `fusedGruSequence(x, w, { kernels: 'native' }).output.dataSync()`
// as tools/bench/native.mjs times it, with glibc's malloc as the addon sets it up (large freed blocks kept for reuse)
// and with glibc's defaults (GATED_NATIVE_MALLOC=system: every large ArrayBuffer a fresh mapping, paged in from
// nothing). Also the read-back alone: dataSync of a [64, 100, 256] tensor. Build first (`npx nx build @gated/cells`).
//   node tools/bench/native-readback.mjs [--reps 15] [--rounds 3] [--threads 1]
// The two set-ups run in alternating processes (--rounds pairs); each reports medians over --reps calls of the CPU
// time its process used (process.cpuUsage: all threads, user + system — page faults are system time) and of the
// wall time. CPU time is what to read on a loaded machine. Writes bench-results/native-readback.json.
import { fileURLToPath } from 'node:url';
import { benchArgs, benchOption } from './lib/bench-args.mjs';
import { fmt, median, spawnJson, writeJson } from './lib/bench-run.mjs';

const REPS = Number(benchOption('reps', 15));
const ROUNDS = Number(benchOption('rounds', 3));
const THREADS = Number(benchOption('threads', 1));
const SETUPS = { tuned: {}, system: { GATED_NATIVE_MALLOC: 'system' } };
const [B, T, I, H] = [64, 100, 64, 256];

async function worker() {
  const tf = await import('@tensorflow/tfjs-core');
  const { initBackend } = await import('@gated/tensor');
  const cells = await import('@gated/cells');
  await initBackend({ backend: 'wasm' });
  cells.setNativeThreads(THREADS);
  const cpuMs = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  const time = (fn) => {
    for (let i = 0; i < 2; i++) fn();
    const cpu = [], wall = [];
    for (let i = 0; i < REPS; i++) {
      const c0 = cpuMs(), t0 = performance.now();
      fn();
      wall.push(performance.now() - t0);
      cpu.push(cpuMs() - c0);
    }
    return { cpuMs: median(cpu), wallMs: median(wall) };
  };
  const u = (shape, seed, s) => tf.randomUniform(shape, -s, s, 'float32', seed);
  const out = {};
  for (const kind of ['lstm', 'gru']) {
    const G = (kind === 'lstm' ? 4 : 3) * H;
    const w = { weightIh: u([G, I], 1, 1 / 16), weightHh: u([G, H], 2, 1 / 16), biasIh: u([G], 3, 0.1), biasHh: u([G], 4, 0.1) };
    const x = u([B, T, I], 7, 1);
    const seq = kind === 'lstm' ? cells.fusedLstmSequence : cells.fusedGruSequence;
    out[`W3 inference ${kind}`] = time(() => tf.tidy(() => {
      seq(x, w, { kernels: 'native' }).output.dataSync();
    }));
    tf.dispose([...Object.values(w), x]);
  }
  const y = u([B, T, H], 9, 1);
  out[`dataSync [${B}, ${T}, ${H}]`] = time(() => y.dataSync());
  y.dispose();
  console.log(JSON.stringify(out));
}

if (benchArgs.includes('--worker')) {
  await worker();
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const perRound = [];
for (let round = 0; round < ROUNDS; round++) {
  const row = {};
  for (const [name, env] of Object.entries(SETUPS)) {
    row[name] = spawnJson(process.execPath, [self, '--worker', '--reps', String(REPS), '--threads', String(THREADS)], { ...env, GATED_NUM_THREADS: String(THREADS) });
  }
  perRound.push(row);
}
const keys = Object.keys(perRound.find((r) => r.tuned)?.tuned ?? {});
const table = keys.map((key) => {
  const of = (setup, field) => median(perRound.map((r) => r[setup]?.[key]?.[field]).filter((v) => v !== undefined));
  return { workload: key, tunedCpuMs: of('tuned', 'cpuMs'), systemCpuMs: of('system', 'cpuMs'), tunedWallMs: of('tuned', 'wallMs'), systemWallMs: of('system', 'wallMs') };
});
console.log(`${THREADS} thread(s), median of ${ROUNDS} round(s) of ${REPS} calls; ms; "system" = GATED_NATIVE_MALLOC=system`);
console.log(`${'workload'.padEnd(26)}${['tuned cpu', 'system cpu', 'system/tuned', 'tuned wall', 'system wall'].map((h) => h.padStart(13)).join('')}`);
for (const r of table) {
  const ratio = r.tunedCpuMs && r.systemCpuMs ? `${(r.systemCpuMs / r.tunedCpuMs).toFixed(2)}×` : '—';
  console.log(`${r.workload.padEnd(26)}${[fmt(r.tunedCpuMs, 2), fmt(r.systemCpuMs, 2), ratio, fmt(r.tunedWallMs, 2), fmt(r.systemWallMs, 2)].map((c) => c.padStart(13)).join('')}`);
}
writeJson('native-readback.json', { threads: THREADS, reps: REPS, rounds: ROUNDS, table, perRound });
