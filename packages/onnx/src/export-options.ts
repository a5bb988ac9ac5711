import { type OptionSpec, checkOptions } from '@gated/tensor';

/** Options of exportOnnx, with their defaults in one place. */

/** What a runtime needs to turn raw data into the model's inputs, stored in the model's metadata_props. */
export interface Preprocessing {
  /** Token strings by id (token models): stored as JSON under `gated.vocabulary`. */
  readonly vocabulary?: readonly string[];
  /** Feature extraction options (e.g. fbank settings, window sizes): JSON under `gated.features`. */
  readonly features?: Readonly<Record<string, unknown>>;
  /** Per-feature standardisation x' = (x − mean) / std: JSON under `gated.scaler`. */
  readonly scaler?: { readonly mean: readonly number[]; readonly std: readonly number[] };
  /** Task id (e.g. "speech-commands", "ptb-lm"): under `gated.task`. */
  readonly task?: string;
}

/** Options of {@link exportOnnx}; defaults in {@link EXPORT_DEFAULTS}. */
export interface ExportOnnxOptions {
  /** Add input `lengths` [batch] int32 of valid steps (ONNX sequence_lens). Default false. */
  readonly lengths?: boolean;
  /** Add inputs `initial_hidden` (and `initial_cell` for LSTM) [layers·dirs, batch, H]. Default false. */
  readonly initialState?: boolean;
  /** Whole models: add output `probabilities` = softmax(output) over the last axis. Default false. */
  readonly softmax?: boolean;
  /** ONNX opset, 14…17 (17 is the newest the onnx 1.12 checker knows). Default 14. */
  readonly opset?: number;
  /** Model doc string. Default: a one-line description of the exported layer or model. */
  readonly docString?: string;
  /** Stored in metadata_props so a runtime can reproduce the inputs. */
  readonly preprocessing?: Preprocessing;
  /** Extra metadata_props entries (keys must not start with "gated."). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Defaults of {@link ExportOnnxOptions}. */
export const EXPORT_DEFAULTS = {
  lengths: false,
  initialState: false,
  softmax: false,
  opset: 14,
} as const;

/** Newest opset the onnx 1.12 checker knows; the node forms written are the same from 14 to 17. */
export const MAX_OPSET = 17;
/** IR version 8: what the onnx 1.12 checker (Debian python3-onnx) accepts. */
export const IR_VERSION = 8;
/** ModelProto.producer_name of every exported model. */
export const PRODUCER_NAME = '@gated/onnx';
/** Kept equal to package.json's version by a test. */
export const PRODUCER_VERSION = '0.0.0';

/** The keys of {@link ExportOnnxOptions} and of its `preprocessing`. */
export const EXPORT_SPEC = {
  lengths: 'boolean',
  initialState: 'boolean',
  softmax: 'boolean',
  opset: 'integer',
  docString: 'string',
  preprocessing: 'object',
  metadata: 'object',
} as const satisfies OptionSpec;
export const PREPROCESSING_SPEC = { vocabulary: 'array', features: 'object', scaler: 'object', task: 'string' } as const satisfies OptionSpec;

/** Checks an {@link ExportOnnxOptions} object's keys (and its preprocessing's). */
export function checkExportOptions(where: string, options: ExportOnnxOptions): void {
  checkOptions(where, options, EXPORT_SPEC);
  if (options.preprocessing !== undefined) checkOptions(`${where} preprocessing`, options.preprocessing, PREPROCESSING_SPEC);
}
