#!/usr/bin/env node
import { endQuietlyOnBrokenPipe } from './cli-errors.js';
import { main } from './main.js';

// `gated features a.wav | head -1`: the reader leaving is not an error.
endQuietlyOnBrokenPipe(process.stdout);
process.exitCode = await main(process.argv.slice(2));
