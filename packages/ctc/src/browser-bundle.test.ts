import { describe } from 'vitest';
import { itBundlesForTheBrowser } from '../../../tools/test-utils/browser-bundle.js';

describe('@gated/ctc in a browser bundle', () => {
  itBundlesForTheBrowser('@gated/ctc');
});
