#!/usr/bin/env node
// Fails when a package imports against the architecture: only the arrows in ALLOWED, only through another
// package's public name (never its src/ or a relative path out of the package), and only declared dependencies.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { workspaceRoot } from './run.mjs';

const ALLOWED = {
  tensor: [],
  cells: ['tensor'],
  trainer: ['tensor', 'cells'],
  'datasets-text': ['tensor'],
  'datasets-speech': ['tensor'],
  'datasets-timeseries': ['tensor'],
  'datasets-music': ['tensor'],
  onnx: ['tensor', 'cells'],
  seq2seq: ['tensor', 'cells', 'onnx'],
  ctc: ['tensor'],
  compare: ['tensor', 'cells', 'trainer', 'datasets-text', 'datasets-speech', 'datasets-timeseries', 'datasets-music', 'onnx', 'seq2seq', 'ctc'],
  playground: ['tensor', 'cells', 'trainer', 'datasets-text', 'datasets-speech', 'datasets-timeseries', 'onnx'],
};

function* sources(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(ts|mts)$/.test(entry)) yield path;
  }
}

const problems = [];
for (const [name, root] of [
  ...readdirSync(join(workspaceRoot, 'packages')).map((d) => [d, join(workspaceRoot, 'packages', d)]),
  ['compare', join(workspaceRoot, 'apps', 'compare')],
  ['playground', join(workspaceRoot, 'apps', 'playground')],
]) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
  for (const file of sources(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const spec = match[1];
      const where = relative(workspaceRoot, file);
      const gated = spec.match(/^@gated\/([^/]+)(\/.*)?$/);
      if (gated) {
        if (!(ALLOWED[name] ?? []).includes(gated[1])) problems.push(`${where}: ${name} must not depend on @gated/${gated[1]}`);
        if (gated[2]) problems.push(`${where}: imports ${spec}; use the package's public entry @gated/${gated[1]}`);
        if (!declared.has(`@gated/${gated[1]}`)) problems.push(`${where}: @gated/${gated[1]} is not in package.json dependencies`);
      } else if (spec.startsWith('.')) {
        const target = join(file, '..', spec);
        // Tests may share the developer-only helpers in tools/test-utils/ (never shipped, never imported by src).
        const sharedTestHelper = /\.test\.ts$/.test(file) && target.startsWith(join(workspaceRoot, 'tools', 'test-utils'));
        if (!target.startsWith(root) && !sharedTestHelper) problems.push(`${where}: relative import ${spec} leaves the package`);
      }
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('check-boundaries: every import follows the package graph');
