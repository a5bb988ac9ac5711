import { describe } from 'vitest';
import { itBundlesForTheBrowser, itHasAMatchingBrowserTwin } from '../../../tools/test-utils/browser-bundle.js';

describe('@gated/trainer in a browser bundle', () => {
  itBundlesForTheBrowser('@gated/trainer');
  itHasAMatchingBrowserTwin(
    async () => [await import('./platform/node.js'), await import('./platform/browser.js')],
    (b: { access(p: string): unknown }) => b.access('checkpoint'),
  );
});
