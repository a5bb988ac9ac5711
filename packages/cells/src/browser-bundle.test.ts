import { describe } from 'vitest';
import { itBundlesForTheBrowser, itHasAMatchingBrowserTwin } from '../../../tools/test-utils/browser-bundle.js';

describe('@gated/cells in a browser bundle', () => {
  itBundlesForTheBrowser('@gated/cells');
  itHasAMatchingBrowserTwin(async () => [await import('./native/native-loader.js'), await import('./native/native-loader.browser.js')]);
});
