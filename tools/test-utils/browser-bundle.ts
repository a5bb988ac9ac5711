import { expect, it } from 'vitest';
import { bundleForBrowser } from '../browser/bundle.mjs';

/**
 * The test every browser-capable package runs: its public entry, bundled for the browser the way a web app's
 * bundler does it (esbuild, platform 'browser', `browser` conditions and fields honoured), imports no Node
 * built-in and no Node-API addon package.
 */
export function itBundlesForTheBrowser(packageName: string): void {
  it(`${packageName} bundles for the browser with no Node built-in or native addon left to import`, async () => {
    const { js, nodeImports } = await bundleForBrowser(`export * from '${packageName}';`);
    expect(nodeImports.map((n) => `${n.importer} imports ${n.specifier}`)).toEqual([]);
    expect(js.byteLength).toBeGreaterThan(1000);
  }, 60_000);
}
