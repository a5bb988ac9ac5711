import { describe } from 'vitest';
import { itBundlesForTheBrowser } from '../../../tools/test-utils/browser-bundle.js';

describe('@gated/seq2seq in a browser bundle', () => {
  itBundlesForTheBrowser('@gated/seq2seq');
});
