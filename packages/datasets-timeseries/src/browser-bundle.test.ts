import { describe } from 'vitest';
import { itBundlesForTheBrowser, itHasAMatchingBrowserTwin } from '../../../tools/test-utils/browser-bundle.js';

describe('@gated/datasets-timeseries in a browser bundle', () => {
  itBundlesForTheBrowser('@gated/datasets-timeseries');
  itHasAMatchingBrowserTwin(
    async () => [await import('./platform/node.js'), await import('./platform/browser.js')],
    (b: { createReadStream(p: string): unknown }) => b.createReadStream('series.csv'),
  );
});
