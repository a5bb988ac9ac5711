import { describe } from 'vitest';
import { itBundlesForTheBrowser, itHasAMatchingBrowserTwin } from '../../../tools/test-utils/browser-bundle.js';

describe('@gated/tensor in a browser bundle', () => {
  itBundlesForTheBrowser('@gated/tensor');
  itHasAMatchingBrowserTwin(
    async () => [await import('./platform/node.js'), await import('./platform/browser.js')],
    (b: { readFile(p: string): unknown }) => b.readFile('x.safetensors'),
  );
});
