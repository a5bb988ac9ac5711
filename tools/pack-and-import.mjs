#!/usr/bin/env node
// Proves each published package works on its own: build, `npm pack` every package, install all tarballs into an
// empty temporary project (as a user would, from the registry for third-party deps), then import each one by
// name and check its types entry and named exports exist. Also runs publint and attw (are-the-types-wrong) on each.
// The temporary project does not get this repository's .npmrc: it installs the way the packages' READMEs tell
// users to (ONNXRUNTIME_NODE_INSTALL=skip in the environment). It also checks that importing a package and
// starting the wasm backend leaves a user's own uncaught errors as Node reports them (exit code 1).
// Each browser-capable package must also bundle for the browser from its tarball (tools/browser/bundle.mjs).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROWSER_PACKAGES, bundleForBrowser } from './browser/bundle.mjs';
import { run, workspaceRoot } from './run.mjs';

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const packages = readdirSync(join(workspaceRoot, 'packages'))
  .map((d) => join(workspaceRoot, 'packages', d))
  .filter((d) => existsSync(join(d, 'package.json')));

if ((await run('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=stream'], { cwd: workspaceRoot, env })) !== 0) {
  console.error('pack-and-import: build failed');
  process.exit(1);
}

let failures = 0;
const fail = (message) => {
  failures += 1;
  console.error(`✗ ${message}`);
};

const project = mkdtempSync(join(tmpdir(), 'gated-pack-'));
const tarballs = join(project, 'tarballs');
mkdirSync(tarballs);
try {
  for (const dir of packages) {
    const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
    if ((await run('npx', ['publint', '--strict'], { cwd: dir })) !== 0) fail(`${name}: publint --strict reported problems`);
    const attw = await run('npx', ['attw', '--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped'], { cwd: dir });
    if (attw !== 0) fail(`${name}: attw found type-resolution problems`);
    execFileSync('npm', ['pack', '--silent', '--pack-destination', tarballs], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'gated-pack-check', private: true, type: 'module' }));
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  // What @gated/onnx's README tells users to set; nothing from this repository's .npmrc.
  const userEnv = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' };
  for (const key of Object.keys(userEnv)) if (key.toLowerCase().startsWith('npm_config_onnxruntime')) delete userEnv[key];
  const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...files], { cwd: project, env: userEnv });
  if (installed !== 0) fail('npm install of the packed tarballs failed');
  else {
    // Beyond importing: the published packages must train in plain Node (no bundler, no vite), end to end.
    const trainScript = `import { SequenceModel } from '@gated/cells';
      import { inMemoryDataset, initBackend } from '@gated/tensor';
      import { fit } from '@gated/trainer';
      await initBackend({ backend: 'wasm' });
      const examples = Array.from({ length: 16 }, (_, i) => ({ x: [[i % 2, 1], [0.5, i % 3]], y: i % 2 }));
      const data = inMemoryDataset(examples, { batchSize: 8, shuffle: true, seed: 1, yDtype: 'int32' });
      const model = new SequenceModel({ kind: 'gru', inputSize: 2, hiddenSize: 8, outputSize: 2, pooling: 'last', seed: 1 });
      const result = await fit(model, data, { steps: 4, progress: 'none' });
      if (!(result.step === 4 && Number.isFinite(result.loss))) process.exit(1);
      console.log('trained 4 steps from the tarballs, loss ' + result.loss.toFixed(4));
      // the prebuilt native kernels ship inside @gated/cells and load from the tarball on linux-x64
      const { nativeAvailable, nativeInfo } = await import('@gated/cells');
      if (process.platform === 'linux' && process.arch === 'x64') {
        if (!nativeAvailable()) { console.error('native kernels did not load from the tarball'); process.exit(1); }
        console.log('native kernels: ' + JSON.stringify(nativeInfo()));
      }`;
    if ((await run('node', ['--input-type=module', '-e', trainScript], { cwd: project })) !== 0) fail('training from the installed tarballs failed');
    // A user's script that imports a package, starts the wasm backend, then fails: Node's own report, exit code 1
    // (tfjs-backend-wasm's emscripten module installs process listeners that rethrew from inside it, exit 7).
    for (const dir of packages) {
      const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
      for (const [kind, failure] of [
        ['uncaught error', "throw new Error('user failure 42');"],
        ['unhandled rejection', "Promise.reject(new Error('user failure 42'));"],
      ]) {
        const file = join(project, 'user-script.mjs');
        writeFileSync(file, `import ${JSON.stringify(name)};\nimport { initBackend } from '@gated/tensor';\nawait initBackend({ backend: 'wasm' });\n${failure}\n`);
        const child = spawnSync('node', [file], { cwd: project, encoding: 'utf8' });
        const stderr = child.stderr ?? '';
        if (child.status !== 1 || !stderr.includes('Error: user failure 42') || !stderr.includes('user-script.mjs') || stderr.includes('tf-backend-wasm')) {
          fail(`${name}: a user's ${kind} after importing it ends with exit code ${child.status} and: ${stderr.split('\n').slice(0, 3).join(' | ')}`);
        } else console.log(`✓ ${name}: a user's ${kind} keeps Node's report and exit code 1`);
      }
    }
    for (const dir of packages) {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const types = join(project, 'node_modules', pkg.name, pkg.exports['.'].types);
      if (!existsSync(types)) fail(`${pkg.name}: types entry ${pkg.exports['.'].types} missing from the tarball`);
      const script = `const m = await import(${JSON.stringify(pkg.name)}); const n = Object.keys(m).length;
        if (n === 0) { console.error('no exports'); process.exit(1); } console.log('${pkg.name}: ' + n + ' exports');`;
      const code = await run('node', ['--input-type=module', '-e', script], { cwd: project });
      if (code !== 0) fail(`${pkg.name}: import from the installed tarball failed`);
      else console.log(`✓ ${pkg.name} installs and imports on its own`);
      // The browser twins the package's "browser" field names ship in the tarball, and a browser bundle of the
      // installed package (dist/, as a user's bundler sees it) imports no Node built-in.
      for (const target of Object.entries(pkg.browser ?? {}).flat()) {
        if (!existsSync(join(project, 'node_modules', pkg.name, target))) fail(`${pkg.name}: browser field names ${target}, missing from the tarball`);
      }
      if (BROWSER_PACKAGES.includes(pkg.name.replace('@gated/', ''))) {
        const bundled = await bundleForBrowser(`export * from '${pkg.name}';`, { source: false, resolveDir: project, external: ['onnxruntime-web'] }).catch((error) => ({ error }));
        if ('error' in bundled) fail(`${pkg.name}: the installed package does not bundle for the browser: ${bundled.error.message.split('\n')[0]}`);
        else if (bundled.nodeImports.length > 0) fail(`${pkg.name}: its browser bundle imports ${bundled.nodeImports.map((n) => `${n.specifier} (${n.importer})`).join(', ')}`);
        else console.log(`✓ ${pkg.name} bundles for the browser from the tarball with no Node built-in`);
      }
    }
  }
} finally {
  rmSync(project, { recursive: true, force: true });
}
if (failures > 0) {
  console.error(`pack-and-import: ${failures} problem(s)`);
  process.exit(1);
}
console.log(`pack-and-import: all ${packages.length} packages pack, install and import`);
