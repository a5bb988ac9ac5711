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

/**
 * A package's Node-only module and the browser twin its `browser` field swaps in export the same names, so code
 * written against one links against the other; calling a twin's Node-only function throws NodeOnlyError.
 */
export function itHasAMatchingBrowserTwin(load: () => Promise<[node: object, browser: object]>, nodeOnly?: (browser: never) => unknown): void {
  it('the browser twin of the Node-only module exports the same names', async () => {
    const [node, browser] = await load();
    expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
  });
  if (nodeOnly) {
    it("the browser twin's Node-only functions throw NodeOnlyError (GATED_NEEDS_NODE)", async () => {
      const [, browser] = await load();
      let caught: unknown;
      try {
        await nodeOnly(browser as never);
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ name: 'NodeOnlyError', code: 'GATED_NEEDS_NODE' });
    });
  }
}
