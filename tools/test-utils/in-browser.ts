import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { workspaceRoot } from '../browser/bundle.mjs';

/** Debian's Chromium, when installed (.ci/run installs it). */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

const PAGE_DIR = join(workspaceRoot, 'tools', 'browser-test');
const WASM_DIR = join(workspaceRoot, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** What the page's worker posted back, and what the page and worker logged as errors. */
export interface InBrowserRun<T> {
  readonly message: { readonly ok: boolean; readonly result?: T; readonly imported?: Record<string, number | string>; readonly error?: string };
  readonly consoleErrors: string[];
  /** Requests that went anywhere but the local server (aborted). */
  readonly blockedRequests: string[];
}

/**
 * Bundles tools/browser-test/worker.ts for the browser (gated packages from source, their `browser` fields
 * honoured), serves it with index.html and tfjs-backend-wasm's .wasm files from a local static server, opens the
 * page in headless Chromium with every other request aborted, and returns what the Web Worker posted.
 */
export async function runInChromiumWorker<T>(timeoutMs: number): Promise<InBrowserRun<T>> {
  if (!CHROMIUM) throw new Error('no Chromium at /usr/bin/chromium');
  const dir = await mkdtemp(join(tmpdir(), 'gated-browser-'));
  const server = createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0]!.replace(/^\/+/, '') || 'index.html';
    readFile(join(dir, name.replaceAll('..', '')))
      .then((body) => res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' }).end(body))
      .catch(() => res.writeHead(404).end());
  });
  const browser = await (async () => {
    await build({
      entryPoints: [join(PAGE_DIR, 'worker.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['browser', '@gated/source'],
      // An optional peer loaded by @gated/onnx only when a model runs; this page runs none.
      external: ['onnxruntime-web'],
      outfile: join(dir, 'worker.js'),
      logLevel: 'silent',
    });
    await copyFile(join(PAGE_DIR, 'index.html'), join(dir, 'index.html'));
    for (const file of WASM_FILES) await copyFile(join(WASM_DIR, file), join(dir, file));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  })();
  try {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const blockedRequests: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`)) return route.continue();
      blockedRequests.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
    page.on('pageerror', (e) => void consoleErrors.push(e.message));
    page.on('worker', (w) => void w.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text()))));
    await page.goto(`${origin}/index.html`);
    const message = (await page.evaluate(
      (ms) => Promise.race([(globalThis as unknown as { gatedResult: Promise<unknown> }).gatedResult, new Promise((r) => setTimeout(() => r({ ok: false, error: `no answer in ${ms} ms` }), ms))]),
      timeoutMs,
    )) as InBrowserRun<T>['message'];
    return { message, consoleErrors, blockedRequests };
  } finally {
    await browser.close();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

