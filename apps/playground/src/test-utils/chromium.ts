// Drives Debian's Chromium headless over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages
// separated by NUL on file descriptors 3 and 4), so the browser test needs no npm browser driver and no download.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** The system Chromium, or undefined where it is not installed. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

type Params = Record<string, unknown>;
/** A protocol event: its method, parameters and the session (page or worker) it came from. */
export interface CdpEvent {
  readonly method: string;
  readonly params: Params;
  readonly sessionId?: string;
}

/** A headless Chromium with one page attached (flattened sessions: the page's and its workers'). */
export class Browser {
  readonly events: CdpEvent[] = [];
  readonly #child: ChildProcess;
  readonly #profile: string;
  readonly #out: Writable;
  readonly #pending = new Map<number, { resolve: (r: Params) => void; reject: (e: Error) => void; method: string }>();
  readonly #listeners: ((e: CdpEvent) => void)[] = [];
  #nextId = 1;
  #buffer = '';
  pageSession = '';

  private constructor(child: ChildProcess, profile: string) {
    this.#child = child;
    this.#profile = profile;
    this.#out = child.stdio[3] as Writable;
    const input = child.stdio[4] as Readable;
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => this.#receive(chunk));
  }

  /** Starts Chromium headless, offline: every host name but 127.0.0.1 fails to resolve. */
  static async launch(executable: string): Promise<Browser> {
    const profile = mkdtempSync(join(tmpdir(), 'gated-playground-chromium-'));
    const child = spawn(
      executable,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-extensions',
        '--no-first-run',
        '--no-default-browser-check',
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
        `--user-data-dir=${profile}`,
        '--remote-debugging-pipe',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    const browser = new Browser(child, profile);
    const { targetId } = await browser.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: true });
    browser.pageSession = String(sessionId);
    // Workers attach as their own sessions; enable Runtime there too so their exceptions are seen.
    browser.onEvent((e) => {
      if (e.method === 'Target.attachedToTarget') {
        const worker = String(e.params['sessionId']);
        void browser.send('Runtime.enable', {}, worker).catch(() => undefined);
        void browser.send('Runtime.runIfWaitingForDebugger', {}, worker).catch(() => undefined);
      }
    });
    for (const method of ['Page.enable', 'Runtime.enable', 'Log.enable', 'Network.enable']) await browser.send(method, {}, browser.pageSession);
    await browser.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true }, browser.pageSession);
    return browser;
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    let end = this.#buffer.indexOf('\0');
    while (end >= 0) {
      const message = JSON.parse(this.#buffer.slice(0, end)) as { id?: number; result?: Params; error?: { message: string }; method?: string; params?: Params; sessionId?: string };
      this.#buffer = this.#buffer.slice(end + 1);
      end = this.#buffer.indexOf('\0');
      if (message.id !== undefined) {
        const p = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.error) p?.reject(new Error(`${p.method}: ${message.error.message}`));
        else p?.resolve(message.result ?? {});
      } else if (message.method) {
        const event: CdpEvent = { method: message.method, params: message.params ?? {}, ...(message.sessionId ? { sessionId: message.sessionId } : {}) };
        this.events.push(event);
        for (const l of this.#listeners) l(event);
      }
    }
  }

  onEvent(listener: (e: CdpEvent) => void): void {
    this.#listeners.push(listener);
  }

  /** Sends a protocol command (to the page session unless `sessionId` says otherwise). */
  send(method: string, params: Params = {}, sessionId?: string): Promise<Params> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, method });
      this.#out.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** Evaluates `expression` in the page (awaiting a promise) and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, this.pageSession);
    const exception = r['exceptionDetails'] as { exception?: { description?: string }; text?: string } | undefined;
    if (exception) throw new Error(`page: ${exception.exception?.description ?? exception.text}`);
    return (r['result'] as { value: T }).value;
  }

  /** Polls `expression` until it is truthy; fails after `timeoutMs` naming what was awaited. */
  async waitFor(expression: string, timeoutMs: number, what = expression): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await this.evaluate<boolean>(`Boolean(${expression})`)) return;
      // The page shows its failures in #status (class "error"): stop waiting at once.
      if (await this.evaluate<boolean>(`Boolean(document.querySelector('#status.error'))`)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const status = await this.evaluate<string>(`document.getElementById('status')?.textContent ?? ''`);
    throw new Error(`gave up after ${Date.now() - deadline + timeoutMs} ms waiting for ${what} (page status: "${status}")`);
  }

  /** Presses a key on the focused element, as a keyboard user would. */
  async press(key: 'Enter' | 'Tab' | ' '): Promise<void> {
    const codes = { Enter: ['Enter', 13, '\r'], Tab: ['Tab', 9, ''], ' ': ['Space', 32, ' '] } as const;
    const [code, keyCode, text] = codes[key];
    const common = { key, code, windowsVirtualKeyCode: keyCode, nativeVirtualKeyCode: keyCode };
    await this.send('Input.dispatchKeyEvent', { type: 'keyDown', ...common, ...(text ? { text } : {}) }, this.pageSession);
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...common }, this.pageSession);
  }

  async setViewport(width: number, height: number, mobile: boolean): Promise<void> {
    await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile }, this.pageSession);
  }

  /** A PNG of the whole page at the current viewport width. */
  async screenshot(): Promise<Buffer> {
    const r = await this.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, this.pageSession);
    return Buffer.from(String(r['data']), 'base64');
  }

  /** Console errors, uncaught exceptions (page and workers) and error log entries seen so far. */
  errors(): string[] {
    const out: string[] = [];
    for (const e of this.events) {
      if (e.method === 'Runtime.exceptionThrown') {
        const d = e.params['exceptionDetails'] as { text?: string; exception?: { description?: string } };
        out.push(`exception: ${d.exception?.description ?? d.text}`);
      } else if (e.method === 'Runtime.consoleAPICalled' && e.params['type'] === 'error') {
        const args = e.params['args'] as { value?: unknown; description?: string }[];
        out.push(`console.error: ${args.map((a) => a.description ?? String(a.value)).join(' ')}`);
      } else if (e.method === 'Log.entryAdded') {
        const entry = e.params['entry'] as { level: string; text: string; url?: string };
        if (entry.level === 'error') out.push(`log: ${entry.text} ${entry.url ?? ''}`);
      }
    }
    return out;
  }

  /** URLs of every request the page and its workers made. */
  requests(): string[] {
    return this.events.filter((e) => e.method === 'Network.requestWillBeSent').map((e) => String((e.params['request'] as { url: string }).url));
  }

  async close(): Promise<void> {
    await this.send('Browser.close').catch(() => undefined);
    await new Promise<void>((resolve) => {
      if (this.#child.exitCode !== null) resolve();
      else this.#child.once('exit', () => resolve());
      setTimeout(() => {
        this.#child.kill('SIGKILL');
        resolve();
      }, 5000).unref();
    });
    rmSync(this.#profile, { recursive: true, force: true });
  }
}
