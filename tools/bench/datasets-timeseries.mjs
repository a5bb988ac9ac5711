// Benchmark of @gated/datasets-timeseries: streaming windows over a large CSV vs loading it whole.
// Run after building: npx nx run @gated/datasets-timeseries:build && node tools/bench/datasets-timeseries.mjs [rows]
// Each mode runs in its own child process so peak memory (maxRSS) is measured per mode.
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const root = join(here, '..', '..', '..');
const spec = { inputLength: 168, horizon: 24, stride: 1, batchSize: 256 };

async function child(mode, path, rows) {
  // 70 % train, 15 % validation, 15 % test, as timestamps so both modes cut at the same rows.
  const at = (fraction) => Date.UTC(2000, 0, 1) + Math.round(rows * fraction) * 3_600_000;
  const split = { validationStart: at(0.7), testStart: at(0.85) };
  const tf = await import('@tensorflow/tfjs-core');
  const { initBackend } = await import('@gated/tensor');
  const ts = await import('@gated/datasets-timeseries');
  await initBackend({ backend: 'cpu' });
  const t0 = performance.now();
  let windows = 0;
  let checksum = 0;
  const drain = async (dataset) => {
    for await (const { x, y } of dataset) {
      windows += x.shape[0];
      checksum += (await y.data())[0];
      tf.dispose([x, y]);
    }
  };
  if (mode === 'memory') {
    const series = await ts.readSeries(path, { frequency: 'hour' });
    const task = ts.createForecastingTask(series, { ...spec, period: 24, split, shuffle: false });
    await drain(task.train);
    await drain(task.validation);
    await drain(task.test);
  } else {
    const transform = await ts.fitTransformStream(path, { frequency: 'hour', until: split.validationStart });
    const common = { ...spec, frequency: 'hour', transform };
    await drain(ts.streamWindows(path, { ...common, targetsBefore: split.validationStart }));
    await drain(ts.streamWindows(path, { ...common, targetsFrom: split.validationStart, targetsBefore: split.testStart }));
    await drain(ts.streamWindows(path, { ...common, targetsFrom: split.testStart }));
  }
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ mode, ms, windows, checksum, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

async function makeCsv(path, rows) {
  const out = createWriteStream(path);
  out.write('time,value,other\n');
  const start = Date.UTC(2000, 0, 1);
  for (let i = 0; i < rows; i++) {
    const line = `${new Date(start + i * 3_600_000).toISOString()},${(20 + 5 * Math.sin((2 * Math.PI * i) / 24) + ((i * 7919) % 17) / 10).toFixed(3)},${(i % 1000) / 7}\n`;
    if (!out.write(line)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], Number(process.argv[5]));
} else {
  const rows = Number(process.argv[2] ?? 1_000_000); // hourly rows from 2000-01-01
  const path = join(tmpdir(), `gated-ts-bench-${rows}.csv`);
  if (!existsSync(path)) await makeCsv(path, rows);
  const sizeMB = statSync(path).size / 2 ** 20;
  const run = (mode) => JSON.parse(execFileSync(process.execPath, [here, '--child', mode, path, String(rows)], { cwd: root, maxBuffer: 1 << 20 }).toString());
  const memory = run('memory');
  const stream = run('stream');
  if (memory.windows !== stream.windows || memory.checksum.toFixed(3) !== stream.checksum.toFixed(3)) {
    throw new Error(`modes disagree: ${JSON.stringify({ memory, stream })}`);
  }
  const result = {
    rows,
    fileMB: Number(sizeMB.toFixed(1)),
    windows: stream.windows,
    memory: { ms: Math.round(memory.ms), maxRssMB: Math.round(memory.maxRssMB) },
    stream: { ms: Math.round(stream.ms), maxRssMB: Math.round(stream.maxRssMB) },
    ratios: { streamTimeOverMemory: Number((stream.ms / memory.ms).toFixed(2)), streamRssOverMemory: Number((stream.maxRssMB / memory.maxRssMB).toFixed(2)) },
    windowsPerSecond: { memory: Math.round(memory.windows / (memory.ms / 1000)), stream: Math.round(stream.windows / (stream.ms / 1000)) },
  };
  console.log(`datasets-timeseries: ${rows} rows (${result.fileMB} MB), ${result.windows} windows of 168→24`);
  console.log(`  in-memory  ${result.memory.ms} ms, max RSS ${result.memory.maxRssMB} MB`);
  console.log(`  streaming  ${result.stream.ms} ms, max RSS ${result.stream.maxRssMB} MB`);
  console.log(`  stream/memory: time ×${result.ratios.streamTimeOverMemory}, peak RSS ×${result.ratios.streamRssOverMemory}`);
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  const target = join(root, 'bench-results', 'datasets-timeseries.json');
  await writeFile(`${target}.${process.pid}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  await rename(`${target}.${process.pid}.tmp`, target);
}
