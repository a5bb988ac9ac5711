import { writeFileAtomic, assertString } from '@gated/tensor';
import { buildLayerModel, buildSequenceModel } from './build-model.js';
import { OnnxUnsupportedError } from './errors.js';
import { type ExportOnnxOptions, checkExportOptions } from './export-options.js';
import {
  describeValue,
  type ExportableLayer,
  type ExportableModel,
  isLayerLike,
  isModelLike,
  layerSpec,
  modelSpec,
} from './from-cells.js';
import { encodeModel } from './onnx-proto.js';

/**
 * Exports an @gated/cells LSTM / GRU / SimpleRNN, or a whole SequenceModel, to ONNX ModelProto bytes using the
 * standard LSTM, GRU and RNN operators (opset 14 by default, IR version 8).
 *
 * A bare layer (batchFirst) has input `input` [batch, seq, features] float32, then `lengths` [batch] int32
 * with `{ lengths: true }`, then `initial_hidden`/`initial_cell` with `{ initialState: true }`; outputs
 * `output` [batch, seq, dirs·H], `hidden` [layers·dirs, batch, H] and `cell` (LSTM) — PyTorch's conventions.
 * A SequenceModel's `input` is token ids [batch, seq] int32 when it has an embedding; its `output` is the
 * head's logits. Batch and sequence axes are dynamic. Dropout is left out (inference graph).
 *
 * @throws OnnxUnsupportedError (GATED_ONNX_UNSUPPORTED) naming a layer or option with no ONNX form.
 * @example
 * const lstm = new LSTM({ inputSize: 8, hiddenSize: 32, numLayers: 2, bidirectional: true });
 * const bytes = exportOnnx(lstm, { lengths: true });
 * const session = await ort.InferenceSession.create(bytes);
 */
export function exportOnnx(modelOrLayer: ExportableLayer | ExportableModel, options: ExportOnnxOptions = {}): Uint8Array {
  checkExportOptions('exportOnnx', options);
  if (isModelLike(modelOrLayer)) return encodeModel(buildSequenceModel(modelSpec(modelOrLayer), options));
  if (isLayerLike(modelOrLayer)) return encodeModel(buildLayerModel(layerSpec(modelOrLayer), options));
  throw new OnnxUnsupportedError(
    `exporting ${describeValue(modelOrLayer)}`,
    'exportOnnx takes an LSTM, GRU or SimpleRNN layer or a SequenceModel from @gated/cells',
  );
}

/** exportOnnx, written to `path` atomically (temp file + rename). */
export async function exportOnnxFile(
  path: string,
  modelOrLayer: ExportableLayer | ExportableModel,
  options: ExportOnnxOptions = {},
): Promise<void> {
  checkExportOptions('exportOnnxFile', options);
  assertString('exportOnnxFile path', path);
  await writeFileAtomic(path, exportOnnx(modelOrLayer, options));
}
