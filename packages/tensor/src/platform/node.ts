// The Node built-ins this package uses, in one place. Bundlers for the browser swap this file for
// ./browser.ts (package.json "browser" field), so no Node built-in reaches a browser bundle.
export { randomBytes } from 'node:crypto';
export { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
export { basename, dirname, join } from 'node:path';

/** The id of this process, for unique temporary names. */
export const pid = (): number => process.pid;

/** Resident set size now and the peak so far, in bytes. */
export function processMemory(): { rss: number; maxRss: number } {
  return { rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024 };
}

/** Node cannot load tfjs-core's gradient registration module: tfjs-layers' CommonJS bundle registers the same. */
export async function registerGradientsFallback(_error: unknown): Promise<void> {
  await import('@tensorflow/tfjs-layers');
}
