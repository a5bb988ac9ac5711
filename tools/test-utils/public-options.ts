// The mechanics of every package's public-options.test.ts (test code only: tools/check-boundaries.mjs lets tests,
// and nothing else, import tools/test-utils/). A package's file keeps its own lists and calls these.
import { OptionsError } from '@gated/tensor';
import { expect, it } from 'vitest';

/** The unknown key every probe passes; the error must name it. */
export const UNKNOWN = { notAnOption: 1 };

/**
 * The lists of a package's public-options test.
 *
 * Keys of `takesOptions` follow one convention: an exported function's own name probes that export (`fit`,
 * `LSTM`); any further probe of the same export starts with its name, then a space and what it probes
 * (`'fit earlyStopping'`, `'LSTM stream'`, `'CharTokenizer fitAsync'`).
 */
export interface PublicEntryPoints {
  /** The package's module namespace (`import * as api from './index.js'`). */
  readonly api: Readonly<Record<string, unknown>>;
  /** How to call each entry point with {@link UNKNOWN} among its options. */
  readonly takesOptions: Readonly<Record<string, () => unknown>>;
  /** Why each other exported function takes no options object. */
  readonly noOptions: Readonly<Record<string, string>>;
}

/** What `call` threw (or rejected with), or undefined when it returned. */
export async function caught(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * Registers, in the calling `describe`, the two tests every package states about its entry points: each exported
 * function is listed as taking an options object or not (so a new export fails until it is listed), and each
 * probe of an options object rejects the unknown key with an `OptionsError` that names it.
 */
export function publicEntryPointTests({ api, takesOptions, noOptions }: PublicEntryPoints): void {
  it('are each listed as taking an options object or not', () => {
    const functions = Object.entries(api)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k)
      .sort();
    const probed = Object.keys(takesOptions);
    const exportsProbed = probed.filter((k) => !k.includes(' '));
    expect([...exportsProbed, ...Object.keys(noOptions)].sort()).toEqual(functions);
    // A further probe names the export it probes first.
    for (const key of probed.filter((k) => k.includes(' '))) expect(functions).toContain(key.slice(0, key.indexOf(' ')));
  });

  it.each(Object.entries(takesOptions))('%s rejects an unknown option key with an OptionsError', async (_name, call) => {
    const error = await caught(call);
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as OptionsError).code).toBe('GATED_UNKNOWN_OPTION');
    expect((error as Error).message).toContain('"notAnOption"');
  });
}
