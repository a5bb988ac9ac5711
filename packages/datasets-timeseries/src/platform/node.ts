// The Node built-ins this package uses, in one place. Bundlers for the browser swap this file for
// ./browser.ts (package.json "browser" field), so no Node built-in reaches a browser bundle.
export { createReadStream } from 'node:fs';
export { createRequire } from 'node:module';
export { basename, dirname, join } from 'node:path';
