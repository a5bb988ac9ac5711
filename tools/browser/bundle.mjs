// Bundles a gated package the way a web app's bundler does (esbuild, platform 'browser', the package's
// `browser` export condition) and reports every Node built-in the bundle still imports. Used by each package's
// browser-bundle test and by tools/bundle-size.mjs.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));

const INNER = Symbol('inner resolve');
// Packages that load Node-API addons: never part of a browser bundle.
const NODE_ONLY_PACKAGES = ['onnxruntime-node', '@tensorflow/tfjs-node'];
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Whether `specifier` names a Node built-in (`fs`, `node:fs/promises`, `worker_threads`, …). */
export function isNodeBuiltin(specifier) {
  return specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]);
}

/**
 * Bundles `code` (an ES module importing gated packages by name) for the browser.
 * `source: true` resolves gated packages to their `src/` through the `@gated/source` condition (tests, no build
 * needed); `false` uses their built `dist/`. Node built-ins are left external and listed, never resolved;
 * `external` names packages left out of the bundle (e.g. an optional peer loaded on demand); `resolveDir` is
 * where package names are resolved from (default: this workspace).
 */
export async function bundleForBrowser(code, { source = true, minify = false, external = [], resolveDir = workspaceRoot } = {}) {
  const nodeImports = [];
  const result = await build({
    stdin: { contents: code, resolveDir, sourcefile: 'browser-entry.js', loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    external,
    metafile: true,
    logLevel: 'silent',
    conditions: source ? ['browser', '@gated/source'] : ['browser'],
    loader: { '.wasm': 'file', '.bin': 'file' },
    assetNames: 'assets/[name]',
    outdir: 'out',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [
      {
        name: 'list-node-builtins',
        setup(b) {
          b.onResolve({ filter: /.*/ }, async (args) => {
            if (args.pluginData === INNER) return undefined;
            if (NODE_ONLY_PACKAGES.some((p) => args.path === p || args.path.startsWith(`${p}/`)) || args.path.endsWith('.node')) {
              nodeImports.push({ specifier: args.path, importer: args.importer.replace(workspaceRoot, '') });
              return { path: args.path, external: true };
            }
            if (!isNodeBuiltin(args.path)) return undefined;
            // A dependency's own `browser` field may map the built-in away (to an empty module), as bundlers honour.
            const { kind, importer, resolveDir } = args;
            const mapped = await b.resolve(args.path, { kind, importer, resolveDir, pluginData: INNER });
            if (mapped.errors.length === 0 && !mapped.external) return undefined;
            nodeImports.push({ specifier: args.path, importer: args.importer.replace(workspaceRoot, '') });
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  return { js: js?.contents ?? new Uint8Array(), nodeImports, metafile: result.metafile };
}

/** The package names whose browser entry must bundle without Node built-ins. */
export const BROWSER_PACKAGES = [
  'tensor',
  'cells',
  'trainer',
  'ctc',
  'seq2seq',
  'onnx',
  'datasets-text',
  'datasets-speech',
  'datasets-timeseries',
  'datasets-music',
];
