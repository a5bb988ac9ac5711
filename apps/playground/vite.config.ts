import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, constants, gzipSync } from 'node:zlib';
import { type Plugin, defaultClientConditions, defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// Bundle the sibling packages from their TypeScript sources (their `@gated/source` export condition), so the
// site builds without building the packages first.
const conditions = ['@gated/source', ...defaultClientConditions];

/**
 * The embedded spoken-digit set of @gated/datasets-speech, loadable in a browser: its JSON index as is, and its
 * brotli-packed PCM16 samples decoded here (Node's zlib) and gzipped (browsers decompress gzip with
 * DecompressionStream, not brotli). Emitted into `assets/` beside the worker script that fetches them; the dev
 * server answers the same names.
 */
function spokenDigitsAsset(): Plugin {
  const data = join(dirname(createRequire(import.meta.url).resolve('@gated/datasets-speech/package.json')), 'data');
  let files: { index: Buffer; samples: Buffer } | undefined;
  const build = (): { index: Buffer; samples: Buffer } => {
    files ??= {
      index: readFileSync(join(data, 'spoken-digits.json')),
      samples: gzipSync(brotliDecompressSync(readFileSync(join(data, 'spoken-digits.bin'))), { level: constants.Z_BEST_COMPRESSION }),
    };
    return files;
  };
  // Names as src/task-spoken-digits.ts fetches them.
  const names = { index: 'spoken-digits.json', samples: 'spoken-digits-pcm16.gz.bin' } as const;
  return {
    name: 'gated-spoken-digits',
    generateBundle() {
      const { index, samples } = build();
      this.emitFile({ type: 'asset', fileName: `assets/${names.index}`, source: index });
      this.emitFile({ type: 'asset', fileName: `assets/${names.samples}`, source: samples });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        const key = path.endsWith(`/${names.index}`) ? 'index' : path.endsWith(`/${names.samples}`) ? 'samples' : undefined;
        if (key === undefined) return next();
        res.setHeader('Content-Type', key === 'index' ? 'application/json' : 'application/octet-stream');
        res.end(build()[key]);
      });
    },
  };
}

/** Writes dist/bundle-size.json: bytes, min and min+gzip of every emitted JS/CSS file and of the wasm binaries. */
function bundleSize(): Plugin {
  return {
    name: 'gated-bundle-size',
    apply: 'build',
    // After every bundle (the page's and the workers') is written: read what is on disk.
    closeBundle() {
      const dir = join(root, 'dist');
      const files = readdirSync(join(dir, 'assets'))
        .map((f) => `assets/${f}`)
        .filter((f) => /\.(js|css|wasm)$/.test(f))
        .sort()
        .map((f) => {
          const bytes = readFileSync(join(dir, f));
          return { file: f, minBytes: bytes.length, gzipBytes: gzipSync(bytes).length };
        });
      const sum = (kind: RegExp, key: 'minBytes' | 'gzipBytes'): number => files.filter((f) => kind.test(f.file)).reduce((a, f) => a + f[key], 0);
      const totals = {
        // The page's own entry (what the main thread runs: UI, charts, onnxruntime-web); the rest is the workers'.
        page: { minBytes: sum(/^assets\/index-.*\.(js|css)$/, 'minBytes'), gzipBytes: sum(/^assets\/index-.*\.(js|css)$/, 'gzipBytes') },
        jsCss: { minBytes: sum(/\.(js|css)$/, 'minBytes'), gzipBytes: sum(/\.(js|css)$/, 'gzipBytes') },
        wasm: { minBytes: sum(/\.wasm$/, 'minBytes'), gzipBytes: sum(/\.wasm$/, 'gzipBytes') },
      };
      writeFileSync(join(dir, 'bundle-size.json'), `${JSON.stringify({ files, totals }, null, 2)}\n`);
      const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
      console.log(`bundle size: page entry ${kib(totals.page.minBytes)} min, ${kib(totals.page.gzipBytes)} min+gzip; all JS+CSS ${kib(totals.jsCss.minBytes)} min, ${kib(totals.jsCss.gzipBytes)} min+gzip; wasm ${kib(totals.wasm.minBytes)}, ${kib(totals.wasm.gzipBytes)} gzip`);
    },
  };
}

export default defineConfig({
  root,
  base: './',
  resolve: {
    conditions,
    // The page runs ONNX models on the wasm execution provider only: every import of onnxruntime-web (ours and
    // @gated/onnx's lazy one) gets the wasm-only build, so one runtime and one .wasm binary are emitted, not two.
    alias: [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web/wasm' }],
  },
  worker: { format: 'es' },
  // Compressed sizes come from the plugin below (gzip, default level 6); Vite's own report would gzip everything twice.
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096, reportCompressedSize: false },
  plugins: [spokenDigitsAsset(), bundleSize()],
});
