// How the Node-API addon is found and loaded, apart from the kernels that use it: bundlers for the browser swap
// this file for ./native-loader.browser.ts (package.json "browser" field), so no addon loading code reaches a page.

/** The slice of Node's `process` the native kernels read. */
export interface NodeProcess {
  readonly platform: string;
  readonly arch: string;
  readonly env: Record<string, string | undefined>;
  getBuiltinModule(id: string): unknown;
}

/** Node's `process` when it can load addons (Node >= 20.16, which has `getBuiltinModule`), else undefined. */
export function nodeProcess(): NodeProcess | undefined {
  const proc = (globalThis as { process?: Partial<NodeProcess> }).process;
  return typeof proc?.getBuiltinModule === 'function' ? (proc as NodeProcess) : undefined;
}

/** Loads the addon at `path` with Node's require. */
export function requireAddon(proc: NodeProcess, path: string): unknown {
  const { createRequire } = proc.getBuiltinModule('node:module') as { createRequire(url: string): (id: string) => unknown };
  return createRequire(import.meta.url)(path);
}
