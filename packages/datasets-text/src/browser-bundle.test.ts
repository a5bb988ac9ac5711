import { describe } from 'vitest';
import { itBundlesForTheBrowser } from '../../../tools/test-utils/browser-bundle.js';

describe('@gated/datasets-text in a browser bundle', () => {
  itBundlesForTheBrowser('@gated/datasets-text');
});
