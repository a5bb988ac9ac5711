// The Node built-ins this package uses, in one place. Bundlers for the browser swap this file for
// ./browser.ts (package.json "browser" field), so no Node built-in reaches a browser bundle.
export { readFile } from 'node:fs/promises';
export { basename } from 'node:path';
export { fileURLToPath } from 'node:url';
