/**
 * Runs an exported model in onnxruntime-node with the same preprocessed inputs as the tfjs model: the input
 * tensor, optional lengths and initial state. Used for latency comparisons and serving.
 */
import { ArgumentError, assertTensor, checkOptions, toBytes } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import type * as Ort from 'onnxruntime-node';
import { type OrtModule, loadOrt, readFile } from './platform/node.js';
import { type OnnxModelInfo, readOnnxInfo } from './model-info.js';

/** Session options; defaults in INFERENCE_DEFAULTS. */
export interface OnnxInferenceOptions {
  /** Threads inside one operator; default 1 (deterministic timings on shared machines). 0 = onnxruntime's default. */
  readonly intraOpNumThreads?: number;
  /** onnxruntime graph optimisation level; default 'all'. */
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

const RUN_SPEC = { lengths: 'any', initialState: 'object' } as const;

/** Defaults of {@link OnnxInferenceOptions}. */
export const INFERENCE_DEFAULTS = { intraOpNumThreads: 1, graphOptimizationLevel: 'all' } as const;

/** Inputs beside x, as a tfjs model's forward takes them. */
export interface OnnxRunOptions {
  /** Valid steps per sequence; needs a model exported with `lengths: true`. */
  readonly lengths?: tf.Tensor1D | readonly number[];
  /** Initial state [layers·dirs, B, H]; needs a model exported with `initialState: true`. */
  readonly initialState?: { readonly hidden: tf.Tensor3D; readonly cell?: tf.Tensor3D };
}

/** The model's outputs as tfjs tensors (the caller disposes them). */
export interface OnnxRunResult {
  readonly output: tf.Tensor;
  readonly hidden?: tf.Tensor3D;
  readonly cell?: tf.Tensor3D;
  readonly probabilities?: tf.Tensor;
}

/** Wall-clock statistics of repeated runs, in milliseconds. */
export interface OnnxTiming {
  readonly medianMs: number;
  readonly meanMs: number;
  readonly minMs: number;
  readonly repeats: number;
}

/**
 * An onnxruntime-node session over an exported model.
 *
 * @example
 * const onnx = await OnnxInference.create(exportOnnx(model, { lengths: true }));
 * const { output } = await onnx.run(x, { lengths });   // same x and lengths as model.forward
 * const { medianMs } = await onnx.time(x, { lengths });
 * await onnx.release();
 */
export class OnnxInference {
  private readonly batchFirst: boolean;

  private constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    /** Header and metadata of the model (producer, opset, inputs, preprocessing). */
    readonly info: OnnxModelInfo,
  ) {
    let batchFirst = true;
    try {
      batchFirst = (JSON.parse(info.metadata['gated.config'] ?? '{}') as { layer?: { batchFirst?: boolean } }).layer?.batchFirst ?? true;
    } catch {
      // not one of ours: PyTorch-style batch-first input
    }
    this.batchFirst = batchFirst;
  }

  /** Loads a model from bytes or a file path. */
  static async create(model: Uint8Array | ArrayBuffer | string, options: OnnxInferenceOptions = {}): Promise<OnnxInference> {
    checkOptions('OnnxInference.create', options, { intraOpNumThreads: 'integer', graphOptimizationLevel: ['disabled', 'basic', 'extended', 'all'] });
    const bytes = typeof model === 'string' ? new Uint8Array(await readFile(model)) : toBytes('OnnxInference.create model', model);
    const info = readOnnxInfo(bytes);
    const o = { ...INFERENCE_DEFAULTS, ...options };
    const ort = await loadOrt();
    const session = await ort.InferenceSession.create(bytes, {
      graphOptimizationLevel: o.graphOptimizationLevel,
      ...(o.intraOpNumThreads > 0 ? { intraOpNumThreads: o.intraOpNumThreads } : {}),
    });
    return new OnnxInference(ort, session, info);
  }

  private async feeds(x: tf.Tensor, opts: OnnxRunOptions): Promise<Record<string, Ort.Tensor>> {
    const ort = this.ort;
    const names = this.session.inputNames;
    const feeds: Record<string, Ort.Tensor> = {};
    if (x.dtype === 'int32') feeds['input'] = new ort.Tensor('int32', (await x.data()) as Int32Array, x.shape);
    else feeds['input'] = new ort.Tensor('float32', (await x.data()) as Float32Array, x.shape);
    const has = (n: string): boolean => names.includes(n);
    if (opts.lengths !== undefined) {
      if (!has('lengths')) throw new ArgumentError('lengths', 'a model exported with { lengths: true }', `a model with inputs ${names.join(', ')}`);
      const l = Array.isArray(opts.lengths) ? Int32Array.from(opts.lengths as number[]) : Int32Array.from(await (opts.lengths as tf.Tensor1D).data());
      feeds['lengths'] = new ort.Tensor('int32', l, [l.length]);
    } else if (has('lengths')) {
      // Full-length sequences, as the tfjs forward without lengths.
      const [b, t] = (this.batchFirst ? x.shape : [x.shape[1], x.shape[0]]) as [number, number];
      feeds['lengths'] = new ort.Tensor('int32', new Int32Array(b).fill(t), [b]);
    }
    if (opts.initialState) {
      if (!has('initial_hidden')) {
        throw new ArgumentError('initialState', 'a model exported with { initialState: true }', `a model with inputs ${names.join(', ')}`);
      }
      const h = opts.initialState.hidden;
      feeds['initial_hidden'] = new ort.Tensor('float32', (await h.data()) as Float32Array, h.shape);
      if (has('initial_cell')) {
        const c = opts.initialState.cell;
        if (!c) throw new ArgumentError('initialState.cell', 'the LSTM cell state', 'undefined');
        feeds['initial_cell'] = new ort.Tensor('float32', (await c.data()) as Float32Array, c.shape);
      }
    } else if (has('initial_hidden')) {
      throw new ArgumentError('initialState', 'an initial state (the model was exported with initialState: true)', 'undefined');
    }
    return feeds;
  }

  /** Runs the model; outputs come back as tfjs tensors shaped as the tfjs forward's. */
  async run(x: tf.Tensor, opts: OnnxRunOptions = {}): Promise<OnnxRunResult> {
    checkOptions('OnnxInference.run', opts, RUN_SPEC);
    assertTensor('x', x);
    const out = await this.session.run(await this.feeds(x, opts));
    const t = (name: string): tf.Tensor | undefined => {
      const v = out[name];
      return v ? tf.tensor(v.data as Float32Array, [...v.dims], 'float32') : undefined;
    };
    const output = t('output');
    if (!output) throw new ArgumentError('model', 'an output named "output"', this.session.outputNames.join(', '));
    const hidden = t('hidden') as tf.Tensor3D | undefined;
    const cell = t('cell') as tf.Tensor3D | undefined;
    const probabilities = t('probabilities');
    return { output, ...(hidden ? { hidden } : {}), ...(cell ? { cell } : {}), ...(probabilities ? { probabilities } : {}) };
  }

  /** Times `repeats` runs after `warmup` untimed ones (inputs are converted once, outside the timing). */
  async time(x: tf.Tensor, opts: OnnxRunOptions = {}, timing: { warmup?: number; repeats?: number } = {}): Promise<OnnxTiming> {
    checkOptions('OnnxInference.time', opts, RUN_SPEC);
    checkOptions('OnnxInference.time timing', timing, { warmup: 'integer', repeats: 'integer' });
    assertTensor('x', x);
    const { warmup = 2, repeats = 10 } = timing;
    const feeds = await this.feeds(x, opts);
    for (let i = 0; i < warmup; i++) await this.session.run(feeds);
    const ms: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      await this.session.run(feeds);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    // The two middle runs; one and the same run when the count is odd.
    const lower = ms[(ms.length - 1) >> 1];
    const upper = ms[ms.length >> 1];
    const fastest = ms[0];
    if (lower === undefined || upper === undefined || fastest === undefined) {
      throw new ArgumentError('timing.repeats', 'an integer ≥ 1', String(repeats));
    }
    return {
      medianMs: (lower + upper) / 2,
      meanMs: ms.reduce((a, b) => a + b, 0) / ms.length,
      minMs: fastest,
      repeats,
    };
  }

  /** Frees the session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}
