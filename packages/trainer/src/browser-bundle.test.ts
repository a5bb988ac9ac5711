import { describe } from 'vitest';
import { itBundlesForTheBrowser } from '../../../tools/test-utils/browser-bundle.js';

describe('@gated/trainer in a browser bundle', () => {
  itBundlesForTheBrowser('@gated/trainer');
});
