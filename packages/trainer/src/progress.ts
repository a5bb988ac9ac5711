import { assertObject, checkOptions } from '@gated/tensor';
import { defaultProgressStream, processEnv } from './platform/node.js';

/** How `fit` shows progress: `auto` = a bar on a TTY, periodic lines otherwise, nothing when `CI=true`. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

/** Where and how often progress is written. */
export interface ProgressOptions {
  readonly mode: ProgressMode;
  /** Default process.stderr, so stdout stays free for results. */
  readonly stream?: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Seconds between plain lines (non-TTY); default 10. */
  readonly lineIntervalSeconds?: number;
  /** Clock in ms; injectable for tests. Default Date.now. */
  readonly now?: () => number;
  /** Environment read by `auto` (for `CI`); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Receives training events and renders them. */
export interface ProgressReporter {
  startEpoch(epoch: number, totalEpochs: number, batches: number | undefined): void;
  update(batch: number, logs: Readonly<Record<string, number>>): void;
  endEpoch(logs: Readonly<Record<string, number>>): void;
  stop(): void;
}

const format = (logs: Readonly<Record<string, number>>) =>
  Object.entries(logs)
    .map(([k, v]) => `${k} ${Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4)}`)
    .join(' · ');

const duration = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/**
 * A per-epoch progress display: on a TTY one bar redrawn in place (`epoch 2/10 ████░░ 40/100 · loss 0.6931 ·
 * ETA 0:12`), elsewhere a plain line every few seconds and at the end of each epoch, and nothing in `none`.
 */
export function createProgress(options: ProgressOptions): ProgressReporter {
  assertObject('createProgress options', options, 'an options object { mode, … }');
  checkOptions('createProgress', options, { mode: ['auto', 'bar', 'lines', 'none'], stream: 'object', lineIntervalSeconds: 'number', now: 'function', env: 'object' });
  assertObject('createProgress options', options, 'an options object { mode, … }');
  checkOptions('createProgress', options, { mode: ['auto', 'bar', 'lines', 'none'], stream: 'object', lineIntervalSeconds: 'number', now: 'function', env: 'object' });
  const stream = options.stream ?? defaultProgressStream();
  const now = options.now ?? Date.now;
  let mode = options.mode;
  const env = options.env ?? processEnv();
  if (mode === 'auto') mode = env['CI'] === 'true' ? 'none' : stream.isTTY ? 'bar' : 'lines';
  if (mode === 'none') return { startEpoch() {}, update() {}, endEpoch() {}, stop() {} };
  const interval = (options.lineIntervalSeconds ?? 10) * 1000;
  let epochLabel = '';
  let total: number | undefined;
  let started = 0;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let seen = 0;

  const line = (batch: number, logs: Readonly<Record<string, number>>, final: boolean) => {
    const elapsed = now() - started;
    const counter = total === undefined ? `${batch}` : `${batch}/${total}`;
    const eta = total !== undefined && batch > 0 && !final ? ` · ETA ${duration((elapsed / batch) * (total - batch))}` : ` · ${duration(elapsed)}`;
    const width = 24;
    const bar =
      mode === 'bar' && total !== undefined ? ` ${'█'.repeat(Math.round((width * batch) / total))}${'░'.repeat(width - Math.round((width * batch) / total))}` : '';
    const metrics = format(logs);
    return `${epochLabel}${bar} ${counter}${metrics ? ` · ${metrics}` : ''}${eta}`;
  };

  return {
    startEpoch(epoch, totalEpochs, batches) {
      epochLabel = `epoch ${epoch + 1}${Number.isFinite(totalEpochs) ? `/${totalEpochs}` : ''}`;
      total = batches;
      started = now();
      lastDraw = Number.NEGATIVE_INFINITY;
      seen = 0;
    },
    update(batch, logs) {
      seen = batch;
      const t = now();
      if (mode === 'bar') {
        if (t - lastDraw < 100 && batch !== total) return;
        stream.write(`\r\x1b[2K${line(batch, logs, false)}`);
        drawn = true;
      } else {
        if (t - lastDraw < interval) return;
        if (lastDraw === Number.NEGATIVE_INFINITY) {
          lastDraw = t;
          return;
        }
        stream.write(`${line(batch, logs, false)}\n`);
      }
      lastDraw = t;
    },
    endEpoch(logs) {
      const done = seen;
      stream.write(mode === 'bar' ? `\r\x1b[2K${line(done, logs, true)}\n` : `${line(done, logs, true)}\n`);
      drawn = false;
    },
    stop() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
