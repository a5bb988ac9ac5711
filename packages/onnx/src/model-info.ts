import type { Preprocessing } from './export-options.js';
import { decodeModel } from './onnx-proto.js';
import { toBytes } from '@gated/tensor';

/** What an ONNX file says about itself: producer, opset, inputs/outputs, and the metadata this package writes. */
export interface OnnxModelInfo {
  readonly irVersion: number;
  /** Default-domain opset. */
  readonly opset: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Every metadata_props entry. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The `gated.*` preprocessing entries, parsed (empty for models from elsewhere). */
  readonly preprocessing: Preprocessing;
}

/**
 * Reads an ONNX model's header and metadata without running it (e.g. to rebuild the tokenizer and scaler a
 * model expects from its `gated.vocabulary` / `gated.scaler` entries).
 *
 * @throws OnnxFormatError (GATED_ONNX_CORRUPT) when the bytes are not a well-formed model.
 */
export function readOnnxInfo(input: Uint8Array | ArrayBuffer): OnnxModelInfo {
  const m = decodeModel(toBytes('readOnnxInfo bytes', input));
  const metadata: Record<string, string> = {};
  for (const p of m.metadataProps) metadata[p.key] = p.value;
  const json = <T>(key: string): T | undefined => {
    const v = metadata[key];
    if (v === undefined) return undefined;
    try {
      return JSON.parse(v) as T;
    } catch {
      return undefined;
    }
  };
  const vocabulary = json<string[]>('gated.vocabulary');
  const features = json<Record<string, unknown>>('gated.features');
  const scaler = json<{ mean: number[]; std: number[] }>('gated.scaler');
  const task = metadata['gated.task'];
  const initializers = new Set(m.graph.initializers.map((t) => t.name));
  return {
    irVersion: m.irVersion,
    opset: m.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0,
    producerName: m.producerName,
    producerVersion: m.producerVersion,
    docString: m.docString,
    inputs: m.graph.inputs.map((i) => i.name).filter((n) => !initializers.has(n)),
    outputs: m.graph.outputs.map((o) => o.name),
    metadata,
    preprocessing: {
      ...(vocabulary ? { vocabulary } : {}),
      ...(features ? { features } : {}),
      ...(scaler ? { scaler } : {}),
      ...(task !== undefined ? { task } : {}),
    },
  };
}
