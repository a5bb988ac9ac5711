import { ArgumentError, checkOptions } from '@gated/tensor';
import type * as Ort from 'onnxruntime-node';
import { OnnxFormatError } from './errors.js';
import { INFERENCE_DEFAULTS, type OnnxInferenceOptions } from './onnx-inference.js';
import { type OrtModule, loadOrt, readFile } from './platform/node.js';

/** Ids the decoder reserves (the @gated/seq2seq convention): 0 padding, 1 begin, 2 end of sequence; 0 and 1 are never emitted. */
const BOS = 1;
const EOS = 2;

/** The output `name` of a session run; a model without it is not one of buildEncoderDecoderOnnx's pair. */
function output(outputs: Ort.InferenceSession.OnnxValueMapType, name: string, model: string): Ort.Tensor {
  const value = outputs[name];
  if (value === undefined) throw new OnnxFormatError(`${model} outputs`, `an output named "${name}"`, Object.keys(outputs).join(', '));
  return value;
}

/** One greedy output of {@link OnnxEncoderDecoder.greedy}. */
export interface OnnxGreedyResult {
  /** Target ids without BOS and the final EOS. */
  readonly tokens: readonly number[];
  /** False when maxLength tokens were generated without EOS. */
  readonly finished: boolean;
  /** Attention weights per generated step over the row's valid source positions (empty without attention). */
  readonly attention: readonly (readonly number[])[];
}

/**
 * Incremental decoding with onnxruntime over the two models of {@link buildEncoderDecoderOnnx}: the encoder runs
 * once, then the decoder step runs once per token with its state fed back, taking the most probable token (PAD
 * and BOS excluded, ties to the lowest id) — the same rule as @gated/seq2seq's greedyDecode.
 *
 * @example
 * const m = await OnnxEncoderDecoder.create('g2p.onnx', 'g2p.step.onnx');
 * const [r] = await m.greedy([[16, 1, 19, 20, 5]], { maxLength: 20 });
 */
export class OnnxEncoderDecoder {
  private constructor(
    private readonly ort: OrtModule,
    private readonly encoder: Ort.InferenceSession,
    private readonly step: Ort.InferenceSession,
  ) {}

  /** Loads the encoder and decoder-step models from bytes or file paths. */
  static async create(encoder: Uint8Array | string, decoderStep: Uint8Array | string, options: OnnxInferenceOptions = {}): Promise<OnnxEncoderDecoder> {
    checkOptions('OnnxEncoderDecoder.create', options, { intraOpNumThreads: 'integer', graphOptimizationLevel: ['disabled', 'basic', 'extended', 'all'] });
    const o = { ...INFERENCE_DEFAULTS, ...options };
    const ort = await loadOrt();
    const open = async (m: Uint8Array | string) =>
      ort.InferenceSession.create(typeof m === 'string' ? new Uint8Array(await readFile(m)) : m, {
        graphOptimizationLevel: o.graphOptimizationLevel,
        ...(o.intraOpNumThreads > 0 ? { intraOpNumThreads: o.intraOpNumThreads } : {}),
      });
    return new OnnxEncoderDecoder(ort, await open(encoder), await open(decoderStep));
  }

  /** Greedy decoding of a batch of source id rows (ids ≥ 1; rows are padded with 0 here). */
  async greedy(sources: readonly (readonly number[])[], options: { readonly maxLength: number }): Promise<OnnxGreedyResult[]> {
    checkOptions('OnnxEncoderDecoder.greedy', options, { maxLength: 'integer' });
    const { maxLength } = options;
    if (!Number.isInteger(maxLength) || maxLength < 1) throw new ArgumentError('maxLength', 'an integer ≥ 1', String(maxLength));
    if (sources.length === 0 || sources.some((s) => s.length === 0)) throw new ArgumentError('sources', 'non-empty rows of source ids', 'an empty batch or row');
    const ort = this.ort;
    const B = sources.length;
    const S = Math.max(...sources.map((s) => s.length));
    const ids = new Int32Array(B * S);
    sources.forEach((s, b) => {
      ids.set(s, b * S);
    });
    const lengths = Int32Array.from(sources.map((s) => s.length));
    const enc = await this.encoder.run({ source: new ort.Tensor('int32', ids, [B, S]), lengths: new ort.Tensor('int32', lengths, [B]) });
    const names = this.step.inputNames;
    const state: Record<string, Ort.Tensor> = {};
    for (const n of ['hidden', 'cell', 'feed']) if (names.includes(n)) state[n] = output(enc, n, 'encoder');
    const memory: Record<string, Ort.Tensor> = {};
    for (const n of ['memory_keys', 'memory_projected', 'mask']) if (names.includes(n)) memory[n] = output(enc, n, 'encoder');
    const rows = sources.map(() => ({ tokens: [] as number[], attention: [] as number[][], finished: false }));
    let tokens = new Int32Array(B).fill(BOS);
    for (let t = 0; t < maxLength && rows.some((r) => !r.finished); t++) {
      const out = await this.step.run({ token: new ort.Tensor('int32', tokens, [B]), ...state, ...memory });
      const logitsOut = output(out, 'logits', 'decoder step');
      const logits = logitsOut.data as Float32Array;
      const V = logitsOut.dims[1];
      if (V === undefined) throw new OnnxFormatError('decoder step output "logits"', 'a [batch, vocab] tensor', `dims [${logitsOut.dims.join(', ')}]`);
      const att = out['attention']?.data as Float32Array | undefined;
      const next = new Int32Array(B);
      rows.forEach((r, b) => {
        let best = EOS;
        for (let id = EOS + 1; id < V; id++) if (logits[b * V + id]! > logits[b * V + best]!) best = id;
        next[b] = best;
        if (r.finished) return;
        if (att) r.attention.push(Array.from(att.subarray(b * S, b * S + lengths[b]!)));
        if (best === EOS) r.finished = true;
        else r.tokens.push(best);
      });
      tokens = next;
      for (const n of ['hidden', 'cell', 'feed']) if (n in state) state[n] = output(out, `${n}_out`, 'decoder step');
    }
    return rows;
  }

  /** Frees both sessions. */
  async release(): Promise<void> {
    await this.encoder.release();
    await this.step.release();
  }
}
