// Benchmark of @gated/datasets-speech feature extraction on one core, as a multiple of real time.
//   npx nx run @gated/datasets-speech:build && node tools/bench/datasets-speech.mjs [--quick]
// Audio: 60 s of real speech (the 16 kHz alsa-utils fixture tiled) and the same resampled to 8 kHz.
// Peer, measured in the same run: torchaudio.compliance.kaldi (torchaudio 0.13, torch.set_num_threads(1)) on the
// same samples through /usr/bin/python3, when it is installed. Target from the issue: MFCC ≥ 300× real time at 16 kHz.
// Prints medians (and the best run, which is what a quiet machine gives) and ratios against the peer,
// writes bench-results/datasets-speech.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWav, encodeWav, fbank, logMelSpectrogram, mfcc, resample, addDeltas } from '@gated/datasets-speech';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const quick = process.argv.includes('--quick');
const REPS = quick ? 3 : 7;
const SECONDS = 60;

const clip = decodeWav(new Uint8Array(readFileSync(join(ROOT, 'packages/datasets-speech/src/__fixtures__/speech/front-center-16k.wav'))));
const audio16k = new Float32Array(16000 * SECONDS);
for (let i = 0; i < audio16k.length; i++) audio16k[i] = clip.channelData[0][i % clip.channelData[0].length];
const audio8k = resample(audio16k, 16000, 8000);
const audio44k = resample(audio16k, 16000, 44100);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn) {
  fn(); // warm-up: JIT, filter tables
  const ms = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return { median: median(ms), min: Math.min(...ms) };
}

const workloads = [
  { name: 'mfcc 16 kHz (Kaldi defaults)', peer: 'mfcc', rate: 16000, fn: () => mfcc(audio16k, { sampleRate: 16000 }) },
  { name: 'mfcc 8 kHz (Kaldi defaults)', peer: 'mfcc', rate: 8000, fn: () => mfcc(audio8k, { sampleRate: 8000 }) },
  { name: 'fbank 16 kHz, 80 bins', peer: 'fbank80', rate: 16000, fn: () => fbank(audio16k, { sampleRate: 16000, numMelBins: 80 }) },
  { name: 'mfcc + deltas 16 kHz', rate: 16000, fn: () => addDeltas(mfcc(audio16k, { sampleRate: 16000 })) },
  { name: 'log-mel 16 kHz (n_fft 512, hop 160, 40 mels)', rate: 16000, fn: () => logMelSpectrogram(audio16k, { sampleRate: 16000, nFft: 512, winLength: 400, hopLength: 160, nMels: 40 }) },
  { name: 'resample 44.1 → 16 kHz', rate: 44100, fn: () => resample(audio44k, 44100, 16000) },
  { name: 'decodeWav 16-bit 16 kHz', rate: 16000, fn: (() => { const bytes = encodeWav({ sampleRate: 16000, channelData: [audio16k] }); return () => decodeWav(bytes); })() },
];

// The peer: the same samples through torchaudio on one thread.
function torchaudioTimes() {
  const dir = join(ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const raw16 = join(dir, '.speech16k.f32');
  const raw8 = join(dir, '.speech8k.f32');
  writeFileSync(raw16, audio16k);
  writeFileSync(raw8, audio8k);
  const script = `
import json, sys, time, numpy as np, torch, torchaudio, torchaudio.compliance.kaldi as k
torch.set_num_threads(1)
reps = ${REPS}
def load(p): return torch.from_numpy(np.fromfile(p, dtype='<f4') * 32768.0).float().unsqueeze(0)
w16, w8 = load(sys.argv[1]), load(sys.argv[2])
def t(fn):
    fn(); ms = []
    for _ in range(reps):
        t0 = time.perf_counter(); fn(); ms.append((time.perf_counter() - t0) * 1000)
    return sorted(ms)[len(ms) // 2]
print(json.dumps({'torchaudio': torchaudio.__version__, 'torch': torch.__version__,
  'mfcc16000': t(lambda: k.mfcc(w16, sample_frequency=16000.0)), 'mfcc8000': t(lambda: k.mfcc(w8, sample_frequency=8000.0)),
  'fbank8016000': t(lambda: k.fbank(w16, sample_frequency=16000.0, num_mel_bins=80))}))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script, raw16, raw8], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`(peer skipped: torchaudio not available — ${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
    return undefined;
  }
  return JSON.parse(r.stdout.trim());
}

const peer = torchaudioTimes();
const results = [];
console.log(`@gated/datasets-speech feature benchmark — ${SECONDS} s of speech, median of ${REPS}, one core (Node ${process.version})`);
for (const w of workloads) {
  const { median: ms, min } = time(w.fn);
  const realTime = (SECONDS * 1000) / ms;
  const peerMs = w.peer === undefined || peer === undefined ? undefined : peer[`${w.peer}${w.rate}`];
  const row = { workload: w.name, ms: Number(ms.toFixed(2)), minMs: Number(min.toFixed(2)), timesRealTime: Math.round(realTime), timesRealTimeBest: Math.round((SECONDS * 1000) / min) };
  if (peerMs !== undefined) {
    row.torchaudioMs = Number(peerMs.toFixed(2));
    row.speedupVsTorchaudio = Number((peerMs / ms).toFixed(2));
  }
  results.push(row);
  const vs = peerMs === undefined ? '' : `   torchaudio ${peerMs.toFixed(1)} ms → ours is ${(peerMs / ms).toFixed(2)}× its speed`;
  console.log(`${w.name.padEnd(46)} ${ms.toFixed(1).padStart(8)} ms  ${String(Math.round(realTime)).padStart(6)}× real time (best ${row.timesRealTimeBest}×)${vs}`);
}
const mfcc16 = results[0].timesRealTime;
console.log(`MFCC at 16 kHz: ${mfcc16}× real time (target ≥ 300×): ${mfcc16 >= 300 ? 'met' : 'NOT met'}`);

const out = join(ROOT, 'bench-results/datasets-speech.json');
mkdirSync(dirname(out), { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
writeFileSync(tmp, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, seconds: SECONDS, reps: REPS, peer: peer && { torchaudio: peer.torchaudio, torch: peer.torch, threads: 1 }, results }, null, 2)}\n`);
renameSync(tmp, out);
for (const f of ['.speech16k.f32', '.speech8k.f32']) {
  try {
    (await import('node:fs')).rmSync(join(ROOT, 'bench-results', f));
  } catch {}
}
