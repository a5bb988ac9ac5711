// Shared machinery of the synthetic speech sets of @gated/datasets-speech (spoken digits, connected digits):
// a seeded generator, espeak-ng + sox synthesis at 8 kHz, and the gain / time-shift / noise augmentation.
import { execFileSync, spawn } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SAMPLE_RATE = 8000;
// English accents shipped with espeak-ng itself (no mbrola voices needed).
export const ACCENTS = ['en-us', 'en-gb', 'en-gb-scotland', 'en-gb-x-gbclan', 'en-gb-x-rp', 'en-gb-x-gbcwmd', 'en-029', 'en-us-nyc'];
// espeak-ng voice variants (timbre, formants, breathiness): each one is a "speaker". Whispering, joke and
// test variants are left out so every clip is intelligible.
export const VOICES = [
  'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'f1', 'f2', 'f3', 'f4', 'f5', 'Alex', 'Alicia', 'Andrea', 'Andy',
  'Annie', 'antonio', 'aunty', 'belinda', 'benjamin', 'boris', 'caleb', 'david', 'Denis', 'ed', 'edward',
  'Gene', 'gustave', 'Hugo', 'iven', 'Jacky', 'john', 'Lee', 'linda', 'Marco', 'max', 'Michael', 'miguel',
  'Mike', 'pablo', 'paul', 'quincy', 'rob', 'robert', 'steph', 'Storm', 'Tweaky', 'zac', 'klatt',
];

// mulberry32: a tiny seeded generator so the build needs nothing but Node.
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform: next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    int: (n) => Math.floor(next() * n),
    normal: () => {
      let u = 0;
      while (u === 0) u = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
  };
}

export function version(cmd, args, pattern) {
  const text = execFileSync(cmd, args, { encoding: 'utf8' });
  return pattern.exec(text)?.[1] ?? text.trim();
}

export function run(cmd, args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const chunks = [];
    const errors = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => errors.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${Buffer.concat(errors).toString()}`));
    });
    if (input !== undefined) {
      child.stdin.on('error', reject);
      child.stdin.end(input);
    }
  });
}

/** espeak-ng says `text` with the job's voice; sox converts to 8 kHz 16-bit and trims leading/trailing silence. */
export async function synthesize(text, job, extraEspeakArgs = []) {
  const wav = await run('espeak-ng', ['-v', `${job.accent}+${job.voice}`, '-s', String(job.speed), '-p', String(job.pitch),
    '-a', String(job.amplitude), ...extraEspeakArgs, '--stdout', text]);
  const raw = await run('sox', ['-D', '-t', 'wav', '-', '-t', 'raw', '-r', String(SAMPLE_RATE), '-e', 'signed', '-b', '16',
    '-c', '1', '-', 'silence', '1', '0.02', '0.3%', 'reverse', 'silence', '1', '0.02', '0.3%', 'reverse'], wav);
  const speech = new Int16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + (raw.length & ~1)));
  if (speech.length < SAMPLE_RATE * 0.1) throw new Error(`clip too short (${speech.length} samples) for ${JSON.stringify(job)}`);
  return speech;
}

// Gain, time shift and noise: the part of the variation espeak-ng cannot give.
export function augment(speech, job, r) {
  const lead = Math.round((job.shiftMs / 1000) * SAMPLE_RATE);
  const tail = Math.round((job.tailMs / 1000) * SAMPLE_RATE);
  const out = new Float64Array(lead + speech.length + tail);
  let power = 0;
  for (let i = 0; i < speech.length; i++) {
    const v = speech[i] * job.gain;
    out[lead + i] = v;
    power += v * v;
  }
  power /= speech.length;
  // SNR = 10·log10(P_signal / σ²)
  const sigma = Math.sqrt(power / 10 ** (job.snrDb / 10));
  const pcm = new Int16Array(out.length);
  for (let i = 0; i < out.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(out[i] + sigma * r.normal())));
  return pcm;
}

/** Runs `work(i)` for i in 0..n−1 on `workers` concurrent workers, results in order. */
export async function parallelMap(n, workers, work) {
  const results = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      results[i] = await work(i);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

/** Writes `data` to `dir/name` through a temporary file and a rename. */
export function writeAtomic(dir, name, data) {
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  writeFileSync(tmp, data);
  renameSync(tmp, join(dir, name));
}
