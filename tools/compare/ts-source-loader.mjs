// Lets plain Node run the TypeScript sources of this repo (used when `gated compare --workers N` forks its
// worker processes from tests or from a source checkout; the built CLI forks built JavaScript and never loads
// this). Usage: node --conditions=@gated/source --import ./tools/compare/ts-source-loader.mjs file.ts
import { register } from 'node:module';

register('./ts-source-hooks.mjs', import.meta.url);
