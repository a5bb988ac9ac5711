#!/usr/bin/env node
// Measures what each browser-capable package costs a web page: `export * from '@gated/<name>'` plus
// @gated/tensor's initBackend, bundled for the browser by esbuild (minified, the package's `browser` fields honoured, gated packages from source), then
// gzip-compressed with zlib at level 9. Prints a Markdown table; `--write` puts it in the root README between the
// bundle-size markers. A built playground (apps/playground/dist) gets a row of its own.
// Usage: node tools/bundle-size.mjs [--write]
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BROWSER_PACKAGES, bundleForBrowser, workspaceRoot } from './browser/bundle.mjs';

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).byteLength;

// Fetched or loaded apart from the page's JavaScript, so listed beside the table rather than in it.
const WASM = ['@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm', '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'];

const rows = [];
for (const name of BROWSER_PACKAGES) {
  // A page needs initBackend besides the package itself, so every row counts it (and the backends it loads).
  const entry = `export * from '@gated/${name}';${name === 'tensor' ? '' : " export { initBackend } from '@gated/tensor';"}`;
  const { js, nodeImports, metafile } = await bundleForBrowser(entry, { minify: true, external: ['onnxruntime-web'] });
  if (nodeImports.length > 0) throw new Error(`@gated/${name}: Node built-ins in the browser bundle: ${nodeImports.map((n) => n.specifier).join(', ')}`);
  // The package's own share of the minified output (its src/ files), from esbuild's metafile.
  const inputs = Object.values(metafile.outputs).flatMap((o) => Object.entries(o.inputs));
  const own = inputs.filter(([path]) => path.includes(`packages/${name}/`)).reduce((sum, [, info]) => sum + info.bytesInOutput, 0);
  rows.push({ label: `\`@gated/${name}\``, min: js.byteLength, gz: gzip(js), own });
}

const playground = join(workspaceRoot, 'apps', 'playground', 'dist');
if (existsSync(playground)) {
  let min = 0;
  let gz = 0;
  for (const entry of await readdir(playground, { recursive: true })) {
    if (!/\.(js|mjs|css|html)$/.test(entry)) continue;
    const bytes = await readFile(join(playground, entry));
    min += bytes.byteLength;
    gz += gzip(bytes);
  }
  rows.push({ label: '`apps/playground` (built site: JS, CSS, HTML)', min, gz, own: undefined });
}

const wasm = [];
for (const file of WASM) {
  const bytes = await readFile(join(workspaceRoot, 'node_modules', file));
  wasm.push(`\`${file.split('/').pop()}\` ${kb(bytes.byteLength)} (${kb(gzip(bytes))} gzip)`);
}

const table = [
  '| package | min | min+gzip | its own code (min) |',
  '|---|---:|---:|---:|',
  ...rows.map((r) => `| ${r.label} | ${kb(r.min)} | ${kb(r.gz)} | ${r.own === undefined ? '—' : kb(r.own)} |`),
  '',
  `Everything \`export * from\` the package pulls in, plus \`initBackend\` (tfjs-core, the cpu and wasm backends' JavaScript, other gated packages), ` +
    'bundled by esbuild for the browser with minification and gzip level 9; "its own code" is the package\'s `src/` share of the minified bundle. ' +
    `Fetched apart from the JavaScript: the wasm backend's binary, ${wasm.join(' or ')}; @gated/onnx loads onnxruntime-web (an optional peer, not counted) only when a model runs. ` +
    'A page that imports a few names pays less: bundlers drop what is not used. Measured with `node tools/bundle-size.mjs --write`.',
].join('\n');

console.log(table);
if (process.argv.includes('--write')) {
  const readme = join(workspaceRoot, 'README.md');
  const text = await readFile(readme, 'utf8');
  const start = '<!-- bundle-size:start -->';
  const end = '<!-- bundle-size:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${relative(workspaceRoot, readme)} has no ${start} … ${end} markers`);
  await writeFile(readme, `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`);
  console.log(`\nwrote the table into ${relative(workspaceRoot, readme)}`);
}
