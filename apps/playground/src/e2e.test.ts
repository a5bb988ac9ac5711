import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@gated/tensor';
import type { ModelKind, RunSettings } from './protocol.js';
import { createSession, disposeSession, trainStep } from './session.js';
import { Browser, CHROMIUM } from './test-utils/chromium.js';

const app = fileURLToPath(new URL('..', import.meta.url));
const artifacts = join(app, 'test-artifacts');
/** A short run: both models must beat their first steps' loss by half within it. */
const STEPS = 80;
const SEQ_LEN = 20;
const LM_STEPS = 25;
/** onnxruntime-web and tfjs compute the same float32 equations in a different order. */
const ONNX_TOLERANCE = 1e-5;

/** Starts `node serve.mjs --port 0` on the built site and resolves with the URL it prints. */
function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['serve.mjs', '--port', '0'], { cwd: app, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      out += chunk;
      const url = out.match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0];
      if (url) resolve({ url, child });
    });
    child.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code} before printing its URL: ${out}`)));
  });
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The first `n` losses of the same run in Node (wasm backend), to hold the browser's against. */
function nodeLosses(kind: ModelKind, settings: RunSettings, n: number): number[] {
  const session = createSession(kind, settings);
  const losses = Array.from({ length: n }, () => trainStep(session).loss);
  disposeSession(session);
  return losses;
}

describe.skipIf(CHROMIUM === undefined)('the playground in headless Chromium (skipped: /usr/bin/chromium is not installed; .ci/run installs it)', () => {
  let browser: Browser;
  let server: { url: string; child: ChildProcess };

  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    await promisify(execFile)('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: app, timeout: 240_000, maxBuffer: 16 * 2 ** 20 });
    server = await startServer();
    browser = await Browser.launch(CHROMIUM as string);
    mkdirSync(artifacts, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    server?.child.kill();
  });

  it('loads offline, trains both models as Node does (stopped and resumed) until their loss falls, draws every gate, samples text, and onnxruntime-web agrees with tfjs within 1e-5', async () => {
    await browser.setViewport(1280, 800, false);
    await browser.send('Page.navigate', { url: server.url }, browser.pageSession);
    await browser.waitFor(`document.body?.dataset.ready === 'true'`, 30_000, 'both workers to load the wasm backend');

    // A short run, set as a user would: fill the fields, then Reset and Train from the keyboard.
    await browser.evaluate(`(() => {
      const set = (id, v) => { const el = document.getElementById(id); el.value = String(v); el.dispatchEvent(new Event('input', { bubbles: true })); };
      set('steps', ${STEPS}); set('seq-len', ${SEQ_LEN});
      document.getElementById('reset').focus();
    })()`);
    await browser.press('Enter');
    await browser.waitFor(`document.getElementById('status').textContent.includes('${STEPS} steps')`, 20_000, 'the reset with the new settings');
    // Stop right after starting: both workers stop between steps, and Train becomes Resume.
    await browser.evaluate(`new Promise((resolve) => {
      document.getElementById('train').click();
      const stop = document.getElementById('stop');
      const tick = () => (stop.disabled ? setTimeout(tick, 0) : resolve(stop.click()));
      tick();
    })`);
    await browser.waitFor(`document.getElementById('status').textContent.startsWith('Stopped at step')`, 30_000, 'the stop');
    const stoppedAt = await browser.evaluate<string[]>(`[...document.querySelectorAll('[data-field="step"]')].map((d) => d.textContent)`);
    for (const step of stoppedAt) expect(Number(step.split(' / ')[0])).toBeLessThan(STEPS);
    expect(await browser.evaluate<string>(`document.getElementById('train').textContent`)).toBe('Resume');
    await browser.evaluate(`document.getElementById('train').focus()`);
    await browser.press('Enter');
    await browser.waitFor(`document.body.dataset.trained === '${STEPS}'`, 60_000, `${STEPS} training steps of both models`);

    const curves = await browser.evaluate<Record<string, number[]>>(
      `Object.fromEntries([...document.querySelectorAll('#loss-chart path[data-series]')].map((p) => [p.dataset.series, JSON.parse(p.dataset.values)]))`,
    );
    // The page's defaults besides the two fields set above.
    const settings: RunSettings = { task: 'adding', seqLen: SEQ_LEN, hiddenSize: 16, batchSize: 32, learningRate: 0.01, steps: STEPS, seed: 0 };
    for (const kind of ['lstm', 'gru'] as const) {
      const loss = curves[kind] ?? [];
      expect(loss).toHaveLength(STEPS);
      // The same seed trains the same way in a browser worker as in Node: the first 5 losses agree within 1e-4
      // (the page keeps 6 significant digits; the two may pick different recurrent implementations).
      const node = nodeLosses(kind, settings, 5);
      for (let i = 0; i < 5; i++) expect(Math.abs((loss[i] ?? Number.NaN) - (node[i] ?? Number.NaN))).toBeLessThan(1e-4);
      // The loss falls: the last 10 steps average under half of the first 5.
      expect(mean(loss.slice(-10))).toBeLessThan(0.5 * mean(loss.slice(0, 5)));
    }
    const memory = await browser.evaluate<string[]>(`[...document.querySelectorAll('[data-field="memory"]')].map((d) => d.textContent)`);
    for (const m of memory) expect(m).toMatch(/^\d+ tensors, \d+ KiB$/);

    await browser.evaluate(`document.getElementById('inspect').click()`);
    await browser.waitFor(`document.querySelectorAll('#heatmaps figure.gate').length === 6`, 30_000, 'the gate heatmaps');
    const heatmaps = await browser.evaluate<{ model: string; gate: string; cells: number; steps: number; units: number }[]>(
      `[...document.querySelectorAll('#heatmaps figure.gate')].map((f) => { const svg = f.querySelector('svg'); return { model: f.dataset.model, gate: f.dataset.gate, cells: svg.querySelectorAll('rect').length, steps: Number(svg.dataset.steps), units: Number(svg.dataset.units) }; })`,
    );
    expect(heatmaps.map((h) => `${h.model}/${h.gate}`)).toEqual(['lstm/input', 'lstm/forget', 'lstm/output', 'lstm/cell state', 'gru/reset', 'gru/update']);
    for (const h of heatmaps) {
      expect([h.steps, h.units]).toEqual([SEQ_LEN, 16]);
      expect(h.cells).toBeGreaterThanOrEqual(SEQ_LEN * 16); // one rect per (step, unit), plus the colour legend
    }
    expect(await browser.evaluate<number>(`document.querySelectorAll('#saturation svg [data-group]').length`)).toBe(16 * 5);
    const flow = await browser.evaluate<string[]>(`[...document.querySelectorAll('#flow-chart path[data-series]')].map((p) => p.dataset.series)`);
    expect(flow).toEqual(['rnn', 'lstm', 'gru', 'lstm at init', 'gru at init']);

    await browser.evaluate(`document.getElementById('export').click()`);
    await browser.waitFor(`document.querySelectorAll('#onnx-table tbody tr').length === 2`, 30_000, 'the ONNX export and onnxruntime-web run');
    const diffs = await browser.evaluate<Record<string, number>>(
      `Object.fromEntries([...document.querySelectorAll('#onnx-table tbody tr')].map((r) => [r.dataset.model, Number(r.dataset.maxAbsDiff)]))`,
    );
    expect(Object.keys(diffs)).toEqual(['lstm', 'gru']);
    for (const d of Object.values(diffs)) expect(d).toBeLessThanOrEqual(ONNX_TOLERANCE);
    expect(await browser.evaluate<boolean>(`document.getElementById('download-lstm').href.startsWith('blob:')`)).toBe(true);

    await browser.evaluate(`window.scrollTo(0, 0)`);
    writeFileSync(join(artifacts, 'playground-1280x800.png'), await browser.screenshot());

    // The char LM: a short run, text sampled at a temperature, and the token-id model through onnxruntime-web too.
    await browser.evaluate(`(() => {
      const task = document.getElementById('task');
      task.value = 'char-lm'; task.dispatchEvent(new Event('change', { bubbles: true }));
      document.getElementById('steps').value = '${LM_STEPS}';
      document.getElementById('seq-len').value = '16';
      document.getElementById('hidden-size').value = '16';
      document.getElementById('reset').click();
    })()`);
    await browser.waitFor(`document.getElementById('status').textContent.startsWith('Ready: char LM')`, 20_000, 'the reset to the char LM');
    await browser.evaluate(`document.getElementById('train').click()`);
    await browser.waitFor(`document.body.dataset.trained === '${LM_STEPS}'`, 60_000, `${LM_STEPS} char-LM steps`);
    const lm = await browser.evaluate<Record<string, number[]>>(
      `Object.fromEntries([...document.querySelectorAll('#loss-chart path[data-series]')].map((p) => [p.dataset.series, JSON.parse(p.dataset.values)]))`,
    );
    for (const kind of ['lstm', 'gru']) {
      const loss = lm[kind] ?? [];
      expect(loss).toHaveLength(LM_STEPS);
      expect(mean(loss.slice(-5))).toBeLessThan(0.9 * mean(loss.slice(0, 3)));
    }
    await browser.evaluate(`document.getElementById('sample').click()`);
    await browser.waitFor(`document.getElementById('sample-gru').textContent.length > 0`, 30_000, 'the sampled text');
    const sampled = await browser.evaluate<string[]>(`['lstm', 'gru'].map((k) => document.getElementById('sample-' + k).textContent)`);
    for (const text of sampled) expect(text.length).toBeGreaterThanOrEqual('Call me '.length + 150);
    await browser.evaluate(`document.getElementById('export').click()`);
    await browser.waitFor(
      `[...document.querySelectorAll('#onnx-table tbody tr')].length === 2 && document.getElementById('download-gru')?.download.includes('char-lm')`,
      30_000,
      'the char-LM ONNX run',
    );
    const lmDiffs = await browser.evaluate<number[]>(`[...document.querySelectorAll('#onnx-table tbody tr')].map((r) => Number(r.dataset.maxAbsDiff))`);
    for (const d of lmDiffs) expect(d).toBeLessThanOrEqual(ONNX_TOLERANCE);

    // The spoken digits: each worker fetches the build's gzipped PCM16 asset, decompresses it in the browser
    // (DecompressionStream) and featurises it; a 3-step run reports accuracy on the held-out voices.
    await browser.evaluate(`(() => {
      const task = document.getElementById('task');
      task.value = 'spoken-digits'; task.dispatchEvent(new Event('change', { bubbles: true }));
      document.getElementById('steps').value = '3';
      document.getElementById('reset').click();
    })()`);
    await browser.waitFor(`document.getElementById('status').textContent.startsWith('Ready: spoken digits')`, 60_000, 'the reset to the spoken digits');
    await browser.evaluate(`document.getElementById('train').click()`);
    await browser.waitFor(`document.body.dataset.trained === '3'`, 30_000, '3 spoken-digit steps');
    const digitLosses = await browser.evaluate<number[][]>(`[...document.querySelectorAll('#loss-chart path[data-series]')].map((p) => JSON.parse(p.dataset.values))`);
    for (const loss of digitLosses) {
      expect(loss).toHaveLength(3);
      expect(loss[0]).toBeGreaterThan(1.8); // ≈ ln 10 at initialisation
    }
    const accuracy = await browser.evaluate<string[]>(`[...document.querySelectorAll('[data-field="accuracy"]')].map((d) => d.textContent)`);
    for (const a of accuracy) expect(a).toMatch(/^\d+\.\d % at step 3$/);
    await browser.setViewport(390, 844, true);
    // Readable on a phone: nothing wider than the screen.
    await browser.waitFor(`document.documentElement.scrollWidth <= 390`, 5_000, 'the page to fit 390 px');
    writeFileSync(join(artifacts, 'playground-390x844.png'), await browser.screenshot());

    const offsite = browser.requests().filter((u) => !u.startsWith(server.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
    expect(offsite).toEqual([]);
    expect(browser.errors()).toEqual([]);
    expect(readFileSync(join(app, 'dist', 'bundle-size.json'), 'utf8')).toContain('"gzipBytes"');
  }, 120_000);
});
