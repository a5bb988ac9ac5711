import { GatedError } from '@gated/tensor';

/** Bytes that are not a well-formed ONNX model (truncated, not protobuf, wrong field types, bad tensor sizes). */
export class OnnxFormatError extends GatedError<{ part: string; expected: string; actual: string }> {
  constructor(part: string, expected: string, actual: string) {
    super('GATED_ONNX_CORRUPT', `corrupt ONNX model at ${part}: expected ${expected}, found ${actual}`, {
      part,
      expected,
      actual,
    });
  }
}

/**
 * A layer, option or operator this package does not translate. `feature` names it (e.g. "projSize with
 * initialState", "LSTM attribute clip", "operator Scan"), so the caller knows exactly what to change.
 */
export class OnnxUnsupportedError extends GatedError<{ feature: string; reason: string }> {
  constructor(feature: string, reason: string) {
    super('GATED_ONNX_UNSUPPORTED', `${feature} is not supported: ${reason}`, { feature, reason });
  }
}
