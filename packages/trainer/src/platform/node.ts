// The Node built-ins this package uses, in one place. Bundlers for the browser swap this file for
// ./browser.ts (package.json "browser" field), so no Node built-in reaches a browser bundle.
export { appendFileSync, mkdirSync } from 'node:fs';
export { access } from 'node:fs/promises';
export { dirname, join } from 'node:path';

/** Where progress goes by default: standard error. */
export const defaultProgressStream = (): { write(text: string): unknown; readonly isTTY?: boolean } => process.stderr;

/** The environment (`CI=true` silences progress). */
export const processEnv = (): Readonly<Record<string, string | undefined>> => process.env;
