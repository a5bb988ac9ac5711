/** The messages between the page and a training worker (one worker per model). */

/** Which gated model a worker trains. */
export type ModelKind = 'lstm' | 'gru';

/** Settings of one training run, the same for both workers. */
export interface RunSettings {
  /** Sequence length T of the adding problem. */
  readonly seqLen: number;
  readonly hiddenSize: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Steps a run takes before it stops by itself. */
  readonly steps: number;
  /** Seed of the weights and of the data stream. */
  readonly seed: number;
}

/** A float tensor sent between threads: values row-major with their shape. */
export interface FloatArray {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Page → worker. */
export type WorkerRequest =
  | { readonly type: 'init'; readonly kind: ModelKind; readonly settings: RunSettings }
  | { readonly type: 'train' }
  | { readonly type: 'stop' }
  | { readonly type: 'inspect'; readonly x: FloatArray }
  | { readonly type: 'export'; readonly x: FloatArray };

/** One recorded gate or state over time, [B, T, H]. */
export interface GateTrace {
  /** `input`, `forget`, `output`, `cell state` (LSTM); `reset`, `update` (GRU). */
  readonly name: string;
  /** True for sigmoid gates in [0, 1]; false for the LSTM cell state (unbounded). */
  readonly isGate: boolean;
  readonly values: FloatArray;
}

/** Worker → page. */
export type WorkerReply =
  | { readonly type: 'ready'; readonly kind: ModelKind; readonly backend: string; readonly params: number; readonly implementation: string }
  | {
      readonly type: 'step';
      readonly step: number;
      readonly loss: number;
      readonly stepMs: number;
      readonly numTensors: number;
      readonly numBytes: number;
    }
  | { readonly type: 'stopped'; readonly step: number; readonly finished: boolean }
  | {
      readonly type: 'inspected';
      readonly gates: readonly GateTrace[];
      /** ‖∂L/∂h_t‖ of this worker's trained model, per step. */
      readonly gradientFlow: readonly number[];
      /** ‖∂L/∂h_t‖ of a vanilla RNN of the same size at initialisation (sent by the LSTM worker only). */
      readonly rnnGradientFlow?: readonly number[];
    }
  | { readonly type: 'exported'; readonly onnx: Uint8Array; readonly output: FloatArray }
  | { readonly type: 'error'; readonly message: string };
