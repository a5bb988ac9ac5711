// The Node built-ins this package uses, in one place. Bundlers for the browser swap this file for
// ./browser.ts (package.json "browser" field), so no Node built-in reaches a browser bundle.
export { createHash } from 'node:crypto';
export { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
export { join, resolve } from 'node:path';
export { promisify } from 'node:util';
export { brotliDecompress } from 'node:zlib';

/** The id of this process, for unique temporary names. */
export const pid = (): number => process.pid;
