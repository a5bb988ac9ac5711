import { duration } from './format.js';

/** Where progress goes and how: a live line on a terminal, plain lines in logs, or nothing. */
export interface ProgressOptions {
  readonly stream?: NodeJS.WriteStream;
  /** 'auto' (default): live on a TTY outside CI, line per milestone otherwise; 'quiet': nothing. */
  readonly mode?: 'auto' | 'live' | 'lines' | 'quiet';
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** Picks the progress mode for this process: live only on an interactive terminal outside CI. */
export function progressMode(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): 'live' | 'lines' {
  const ci = env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false';
  return stream.isTTY === true && !ci && env['TERM'] !== 'dumb' ? 'live' : 'lines';
}

/**
 * Progress over a known amount of work (optimizer steps, plus fixed costs expressed in steps), with an ETA from
 * the rate so far. On a terminal it redraws one line at most 4 times a second; in logs it prints only
 * milestones (`note`), so CI output stays short.
 */
export class Progress {
  private done = 0;
  private label = '';
  private lastDraw = 0;
  /** Lines drawn by the last live redraw (the status line plus one per busy worker). */
  private drawn = 0;
  private readonly workers = new Map<number, string>();
  private readonly start: number;
  private readonly stream: NodeJS.WriteStream;
  private readonly mode: 'live' | 'lines' | 'quiet';
  private readonly now: () => number;

  constructor(
    private total: number,
    options: ProgressOptions = {},
  ) {
    this.stream = options.stream ?? process.stderr;
    this.now = options.now ?? (() => performance.now());
    const mode = options.mode ?? 'auto';
    this.mode = mode === 'auto' ? progressMode(this.stream) : mode;
    this.start = this.now();
  }

  /** Fraction of the work done, in [0, 1]. */
  get fraction(): number {
    return this.total > 0 ? Math.min(1, this.done / this.total) : 1;
  }

  /** Estimated milliseconds left, or null before any work is done. */
  etaMs(): number | null {
    if (this.done <= 0) return null;
    const elapsed = this.now() - this.start;
    return (elapsed / this.done) * Math.max(0, this.total - this.done);
  }

  /** Adds work (e.g. when a unit turns out larger than planned). */
  grow(amount: number): void {
    this.total += amount;
  }

  /** Records `amount` units of work done and what is being done now. */
  advance(amount: number, label?: string): void {
    this.done += amount;
    if (label !== undefined) this.label = label;
    if (this.mode !== 'live') return;
    const t = this.now();
    if (t - this.lastDraw < 250 && this.done < this.total) return;
    this.lastDraw = t;
    this.draw();
  }

  /** What worker `index` (0-based) is doing now, or null when it is idle; shown under the status line. */
  setWorker(index: number, label: string | null): void {
    if (label === null) this.workers.delete(index);
    else this.workers.set(index, label);
  }

  /** The live display: the status line, then one line per busy worker. */
  lines(): string[] {
    const busy = [...this.workers.entries()].sort(([a], [b]) => a - b);
    return [this.status(), ...busy.map(([i, label]) => `  worker ${i + 1}: ${label}`)];
  }

  /** One-line status: bar, percentage, label, elapsed and ETA. */
  status(): string {
    const width = 20;
    const filled = Math.round(this.fraction * width);
    const eta = this.etaMs();
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(this.fraction * 100).toFixed(0).padStart(3)}% ${this.label} · ${duration(
      this.now() - this.start,
    )} elapsed · ETA ${eta === null ? '…' : duration(eta)}`;
  }

  /** Prints a milestone line (kept in logs; on a terminal it scrolls above the live line). */
  note(message: string): void {
    if (this.mode === 'quiet') return;
    if (this.mode === 'live') this.stream.write(`${this.clear()}${message}\n`);
    else {
      const eta = this.etaMs();
      this.stream.write(`${message} (${(this.fraction * 100).toFixed(0)}%, ETA ${eta === null ? '…' : duration(eta)})\n`);
    }
    if (this.mode === 'live') this.draw();
  }

  /** Clears the live display. */
  finish(): void {
    if (this.mode === 'live') this.stream.write(this.clear());
  }

  // Moves to the first line of the live display and erases it to the end of the screen.
  private clear(): string {
    const up = this.drawn > 1 ? `\x1b[${this.drawn - 1}F` : '\r';
    this.drawn = 0;
    return `${up}\x1b[J`;
  }

  private draw(): void {
    // A pseudo-terminal may report 0 columns.
    const columns = this.stream.columns || 120;
    const lines = this.lines().map((line) => line.slice(0, Math.max(20, columns - 1)));
    this.stream.write(`${this.clear()}${lines.join('\n')}`);
    this.drawn = lines.length;
  }
}
