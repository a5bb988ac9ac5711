// Module hooks for ts-source-loader.mjs: a relative `./x.js` import that has no .js file resolves to `./x.ts`
// (the repo's sources import with .js extensions), and .ts files are transpiled by TypeScript (types erased,
// no type check: typecheck with tsc). Transpiled files are cached by content hash under
// node_modules/.cache/gated-ts-source, so worker processes after the first start without loading TypeScript.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';

const CACHE = new URL('../../node_modules/.cache/gated-ts-source/', import.meta.url);
let typescript;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if (!relative || !specifier.endsWith('.js') || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
  }
}

async function transpile(source, fileName) {
  typescript ??= (await import('typescript')).default;
  const ts = typescript;
  return ts.transpileModule(source, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true },
  }).outputText;
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const fileName = new URL(url).pathname;
  const source = await readFile(fileName, 'utf8');
  const key = createHash('sha256').update(fileName).update('\0').update(source).digest('hex');
  const cached = new URL(`${key}.js`, CACHE);
  let output;
  try {
    output = await readFile(cached, 'utf8');
  } catch {
    output = await transpile(source, fileName);
    try {
      await mkdir(CACHE, { recursive: true });
      const temp = new URL(`${key}.${process.pid}.tmp`, CACHE);
      await writeFile(temp, output);
      await rename(temp, cached);
    } catch {
      // A read-only checkout still runs, just without the cache.
    }
  }
  return { format: 'module', source: output, shortCircuit: true };
}
