import { describe } from 'vitest';
import { itBundlesForTheBrowser } from '../../../tools/test-utils/browser-bundle.js';

describe('@gated/cells in a browser bundle', () => {
  itBundlesForTheBrowser('@gated/cells');
});
