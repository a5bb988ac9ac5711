// What the end-to-end benchmark drivers share: running a worker process that prints one JSON line, medians,
// number formatting and writing bench-results/<name>.json atomically with the machine and commit.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Median of numbers (mean of the two middle ones for an even count; undefined for none). */
export const median = (xs) => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** A number with `d` decimals, or '—' when it is missing. */
export const fmt = (v, d = 1) => (v === undefined || v === null || Number.isNaN(v) ? '—' : v.toFixed(d));

/**
 * Runs `cmd argv` with `env` added to this process's environment and returns the last line of its stdout that
 * parses as a JSON object, or null (the command's stderr tail is printed) when it fails.
 */
export function spawnJson(cmd, argv, env) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, ...env, CI: '1' }, maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    console.error(`${cmd} ${argv.join(' ')} failed:\n${(r.stderr ?? '').slice(-2000)}`);
    return null;
  }
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  return line ? JSON.parse(line) : null;
}

/** Writes `value` (with the date, commit, CPU and core count) to bench-results/`name` atomically. */
export function writeJson(name, value) {
  const out = join(repoRoot, 'bench-results', name);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  let commit = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    commit = null;
  }
  writeFileSync(tmp, `${JSON.stringify({ date: new Date().toISOString(), commit, cpu: cpus()[0]?.model, cores: cpus().length, ...value }, null, 2)}\n`);
  renameSync(tmp, out);
  console.log(`\nwrote ${out}`);
}

/**
 * Writes a model's initial parameters for the PyTorch peer: every parameter's floats, in `parameters()` order, to
 * `init-<kind>.bin` in `dir`, and returns where each one starts (by gated name) with its shape.
 */
export function writeInitialWeights(dir, kind, model) {
  const named = Object.entries(model.parameters());
  const flat = new Float32Array(named.reduce((n, [, v]) => n + v.size, 0));
  const layout = {};
  let offset = 0;
  for (const [name, v] of named) {
    flat.set(v.dataSync(), offset);
    layout[name] = { shape: v.shape, offset };
    offset += v.size;
  }
  writeFileSync(join(dir, `init-${kind}.bin`), flat);
  return layout;
}

/**
 * The inverse of {@link writeInitialWeights} for a peer's final weights: assigns the floats of `file` to `model`'s
 * parameters in `parameters()` order; throws naming the file when their count does not match the model's.
 */
export function readWeightsInto(model, file, tf, what = 'the model') {
  const flat = new Float32Array(readFileSync(file).buffer.slice(0));
  let offset = 0;
  for (const v of Object.values(model.parameters())) {
    const t = tf.tensor(flat.subarray(offset, offset + v.size), v.shape, 'float32');
    v.assign(t);
    t.dispose();
    offset += v.size;
  }
  if (offset !== flat.length) throw new Error(`${file}: ${flat.length} floats, ${what} has ${offset}`);
}
