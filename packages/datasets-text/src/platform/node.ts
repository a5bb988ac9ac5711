// The Node built-ins this package uses, in one place. Bundlers for the browser swap this file for
// ./browser.ts (package.json "browser" field), so no Node built-in reaches a browser bundle.
export { randomBytes } from 'node:crypto';
export { createReadStream } from 'node:fs';
export { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
export { createRequire } from 'node:module';
export { basename, dirname, extname, join, relative, sep } from 'node:path';

/** The id of this process, for unique temporary names. */
export const pid = (): number => process.pid;
