import { readFile } from 'node:fs/promises';
import { greedyDecode, prefixBeamSearch } from '@gated/ctc';
import { type FeaturePipeline, decodeWav, downmixToMono, extractFeatures } from '@gated/datasets-speech';
import { readOnnxInfo } from '@gated/onnx';
import { ArgumentError, GatedError } from '@gated/tensor';
import type * as Ort from 'onnxruntime-node';
import { at } from './lookup.js';

/** An ONNX file that is not a CTC acoustic model `gated transcribe` can run (missing metadata or outputs). */
export class TranscriberModelError extends GatedError<{ file: string; expected: string; actual: string }> {
  constructor(file: string, expected: string, actual: string) {
    super('GATED_TRANSCRIBE_MODEL', `${file}: expected ${expected}, found ${actual}`, { file, expected, actual });
  }
}

/** What {@link Transcriber.transcribe} returns for one clip. */
export interface Transcript {
  /** The recognised text: digits of the best beam hypothesis (greedy when the beam width is 1). */
  readonly text: string;
  readonly greedy: string;
  readonly beam: string;
  /** Log-probability score of the beam hypothesis. */
  readonly score: number;
  /** Feature frames the model saw. */
  readonly frames: number;
}

function logSoftmaxRows(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) max = Math.max(max, data[r * cols + c]!);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(data[r * cols + c]! - max);
    // log softmax_c = x_c − max − log Σ exp(x − max)
    const z = max + Math.log(sum);
    for (let c = 0; c < cols; c++) out[r * cols + c] = data[r * cols + c]! - z;
  }
  return out;
}

/**
 * Speech to digits with a CTC acoustic model exported by @gated/onnx: reads the feature pipeline, CMVN scaler
 * and class names from the model's metadata, computes the same Kaldi features of a WAV clip, runs the model in
 * onnxruntime-node, and decodes the frame log-probabilities in JS (greedy and prefix beam search).
 */
export class Transcriber {
  private constructor(
    private readonly session: Ort.InferenceSession,
    private readonly ort: typeof Ort,
    private readonly pipeline: FeaturePipeline,
    private readonly scaler: { readonly mean: readonly number[]; readonly std: readonly number[] },
    private readonly classes: readonly string[],
    private readonly withLengths: boolean,
  ) {}

  /** Loads a model file written by `gated transcribe --train` (or any model with the same metadata). */
  static async create(file: string): Promise<Transcriber> {
    const bytes = new Uint8Array(await readFile(file));
    const info = readOnnxInfo(bytes);
    const p = info.preprocessing;
    if (p.features === undefined || p.scaler === undefined || p.vocabulary === undefined) {
      throw new TranscriberModelError(file, 'gated.features, gated.scaler and gated.vocabulary metadata (a model from gated transcribe --train)', `keys ${Object.keys(info.metadata).join(', ') || 'none'}`);
    }
    if (p.vocabulary[0] !== '<blank>') throw new TranscriberModelError(file, "a vocabulary starting with the CTC blank '<blank>'", JSON.stringify(p.vocabulary.slice(0, 3)));
    if (!info.outputs.includes('output')) throw new TranscriberModelError(file, "an output named 'output'", info.outputs.join(', '));
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
    return new Transcriber(session, ort, p.features as unknown as FeaturePipeline, p.scaler, p.vocabulary, info.inputs.includes('lengths'));
  }

  /** Transcribes one WAV file's bytes (any sample rate and channel count the WAV decoder reads). */
  async transcribe(wav: Uint8Array, beamWidth: number): Promise<Transcript> {
    const audio = decodeWav(wav);
    const mono = downmixToMono(audio.channelData);
    const feats = extractFeatures(mono, audio.sampleRate, this.pipeline);
    const [T, F] = feats.shape;
    const x = new Float32Array(feats.data.length);
    // CMVN with the training voices' statistics: x' = (x − mean) / std
    for (let t = 0; t < T; t++) for (let f = 0; f < F; f++) x[t * F + f] = (feats.data[t * F + f]! - this.scaler.mean[f]!) / this.scaler.std[f]!;
    const feeds: Record<string, Ort.Tensor> = { input: new this.ort.Tensor('float32', x, [1, T, F]) };
    if (this.withLengths) feeds['lengths'] = new this.ort.Tensor('int32', Int32Array.from([T]), [1]);
    const result = await this.session.run(feeds);
    const out = result['output'];
    if (out === undefined) throw new ArgumentError('session outputs', "an 'output' tensor", `[${Object.keys(result).join(', ')}]`);
    const C = at(out.dims, 2, 'output dims');
    const logProbs = { data: logSoftmaxRows(out.data as Float32Array, T, C), shape: [1, T, C] };
    const text = (tokens: readonly number[]): string => tokens.map((c) => this.classes[c]).join('');
    const greedy = at(greedyDecode(logProbs, [T], { batchFirst: true }), 0, 'greedy paths');
    const beam = at(at(prefixBeamSearch(logProbs, [T], { batchFirst: true, beamWidth }), 0, 'beam results'), 0, 'beam hypotheses');
    return { text: text(beam.tokens), greedy: text(greedy.tokens), beam: text(beam.tokens), score: beam.score, frames: T };
  }

  /** Frees the onnxruntime session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}
