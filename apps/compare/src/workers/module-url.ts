// Worker processes run built JavaScript when the CLI is built, and the TypeScript sources (through a small
// module hook in tools/compare/) when the app runs from source, as in its tests.
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** URL of a module in this folder, as the running code is (`.js` built, `.ts` from source). */
export function workersModule(name: string): URL {
  return new URL(`./${name}.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);
}

/** Node flags a worker process needs to load the code the way this process does. */
export function workerExecArgv(): string[] {
  if (!FROM_SOURCE) return [];
  return ['--conditions=@gated/source', '--import', new URL('../../../../tools/compare/ts-source-loader.mjs', import.meta.url).href];
}
