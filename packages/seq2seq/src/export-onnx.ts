import { type EncoderDecoderOnnx, type EncoderDecoderOnnxOptions, type WeightData, buildEncoderDecoderOnnx } from '@gated/onnx';
import { ArgumentError, writeFileAtomic } from '@gated/tensor';
import type { Seq2Seq } from './seq2seq.js';

/**
 * Exports a {@link Seq2Seq} as two ONNX models for incremental decoding: the encoder (`source`, `lengths` →
 * memory and the decoder's first state) and one decoder step (previous token and state → `logits`, next state,
 * `attention`). A loop over onnxruntime reproduces {@link greedyDecode} (see @gated/onnx `OnnxEncoderDecoder`).
 */
export function exportSeq2SeqOnnx(model: Seq2Seq, options: EncoderDecoderOnnxOptions = {}): EncoderDecoderOnnx {
  const weights: Record<string, WeightData> = {};
  for (const [name, v] of Object.entries(model.parameters())) weights[name] = { shape: [...v.shape], data: Float32Array.from(v.dataSync()) };
  const c = model.config;
  return buildEncoderDecoderOnnx(
    {
      kind: c.kind,
      sourceVocabSize: c.sourceVocabSize,
      targetVocabSize: c.targetVocabSize,
      embeddingDim: c.embeddingDim,
      hiddenSize: c.hiddenSize,
      numLayers: c.numLayers,
      bidirectional: c.bidirectional,
      attention: c.attention,
      attentionSize: c.attentionSize,
      inputFeeding: c.inputFeeding,
      weights,
    },
    options,
  );
}

/** The decoder-step file that goes with an encoder file: `model.onnx` → `model.step.onnx`. */
export function decoderStepPath(encoderPath: string): string {
  if (!encoderPath.endsWith('.onnx')) throw new ArgumentError('path', 'a file name ending in .onnx', encoderPath);
  return `${encoderPath.slice(0, -'.onnx'.length)}.step.onnx`;
}

/** Writes {@link exportSeq2SeqOnnx}'s models to `path` (the encoder) and {@link decoderStepPath}(path), atomically. */
export async function exportSeq2SeqOnnxFiles(model: Seq2Seq, path: string, options: EncoderDecoderOnnxOptions = {}): Promise<{ readonly encoder: string; readonly decoderStep: string }> {
  const step = decoderStepPath(path);
  const { encoder, decoderStep } = exportSeq2SeqOnnx(model, options);
  await writeFileAtomic(path, encoder);
  await writeFileAtomic(step, decoderStep);
  return { encoder: path, decoderStep: step };
}
