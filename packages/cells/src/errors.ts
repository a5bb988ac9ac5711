import { GatedError } from '@gated/tensor';

/** Why a state dict does not fit a layer. */
export type StateDictProblem = 'missing' | 'unexpected' | 'shape';

/**
 * A state dict does not fit the layer or model it is loaded into: a key is missing, unexpected, or has the
 * wrong shape. Codes: `GATED_STATE_DICT_MISSING_KEY`, `GATED_STATE_DICT_UNEXPECTED_KEY`,
 * `GATED_STATE_DICT_SHAPE`.
 */
export class StateDictError extends GatedError<{
  problem: StateDictProblem;
  key: string;
  expected: readonly number[] | null;
  actual: readonly number[] | null;
}> {
  constructor(problem: StateDictProblem, key: string, expected: readonly number[] | null, actual: readonly number[] | null) {
    const fmt = (s: readonly number[] | null) => (s === null ? 'nothing' : `shape [${s.join(', ')}]`);
    const message =
      problem === 'missing'
        ? `state dict: key "${key}" is missing (expected ${fmt(expected)})`
        : problem === 'unexpected'
          ? `state dict: unexpected key "${key}" (${fmt(actual)}); the layer has no such weight`
          : `state dict: key "${key}" expected ${fmt(expected)}, got ${fmt(actual)}`;
    const code =
      problem === 'missing' ? 'GATED_STATE_DICT_MISSING_KEY' : problem === 'unexpected' ? 'GATED_STATE_DICT_UNEXPECTED_KEY' : 'GATED_STATE_DICT_SHAPE';
    super(code, message, { problem, key, expected, actual });
  }
}

/**
 * An option combination this package does not run, e.g. `projSize` on a GRU or `implementation: 'sequence'`
 * with something the sequence kernel cannot do. Code `GATED_UNSUPPORTED_OPTION`.
 */
export class UnsupportedOptionError extends GatedError<{ option: string; value: string; reason: string }> {
  constructor(option: string, value: string, reason: string) {
    super('GATED_UNSUPPORTED_OPTION', `option ${option} = ${value} is not supported: ${reason}`, { option, value, reason });
  }
}
