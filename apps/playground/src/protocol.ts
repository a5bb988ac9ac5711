/** The messages between the page and a training worker (one worker per model). */

/** Which gated model a worker trains. */
export type ModelKind = 'lstm' | 'gru';

/** The tasks the playground trains on. */
export type TaskName = 'adding' | 'char-lm' | 'co2' | 'spoken-digits';

/** Settings of one training run, the same for both workers. */
export interface RunSettings {
  readonly task: TaskName;
  /** Sequence length T: steps of the adding problem, characters of a char-LM window, months of CO2 history, MFCC frames (20 ms) of a spoken digit. */
  readonly seqLen: number;
  readonly hiddenSize: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Steps a run takes before it stops by itself. */
  readonly steps: number;
  /** Seed of the weights, of the data stream and of sampling. */
  readonly seed: number;
}

/** A tensor sent between threads: values row-major with their shape. */
export type TensorData =
  | { readonly dtype: 'float32'; readonly shape: readonly number[]; readonly values: Float32Array }
  | { readonly dtype: 'int32'; readonly shape: readonly number[]; readonly values: Int32Array };

/** Page → worker. */
export type WorkerRequest =
  | { readonly type: 'init'; readonly kind: ModelKind; readonly settings: RunSettings }
  | { readonly type: 'train' }
  | { readonly type: 'stop' }
  | { readonly type: 'inspect' }
  | { readonly type: 'export' }
  | { readonly type: 'sample'; readonly prime: string; readonly length: number; readonly temperature: number };

/** One recorded gate or state over time, [B, T, H]. */
export interface GateTrace {
  /** `input`, `forget`, `output`, `cell state` (LSTM); `reset`, `update` (GRU). */
  readonly name: string;
  /** True for sigmoid gates in [0, 1]; false for the LSTM cell state (unbounded). */
  readonly isGate: boolean;
  readonly values: Extract<TensorData, { dtype: 'float32' }>;
}

/** Worker → page. */
export type WorkerReply =
  | { readonly type: 'ready'; readonly kind: ModelKind; readonly backend: string; readonly params: number }
  | {
      readonly type: 'step';
      readonly step: number;
      /** The training loss: MSE (adding problem; CO2 in standardised units), nats per character (char LM) or per clip (spoken digits). */
      readonly loss: number;
      readonly stepMs: number;
      readonly numTensors: number;
      readonly numBytes: number;
    }
  | {
      readonly type: 'stopped';
      readonly step: number;
      readonly finished: boolean;
      /** Spoken digits only: accuracy on the clips of the held-out voices when training stopped. */
      readonly accuracy?: number;
    }
  | {
      readonly type: 'inspected';
      /** What each probe sequence holds at each step, for axis labels (characters, or "mark" on the adding problem). */
      readonly labels: readonly (readonly string[])[];
      readonly gates: readonly GateTrace[];
      /** ‖∂L/∂h_t‖ of this worker's trained model, per step. */
      readonly gradientFlow: readonly number[];
      /** ‖∂L/∂h_t‖ of the same model at initialisation (same seed, untrained), per step. */
      readonly initialGradientFlow: readonly number[];
      /** ‖∂L/∂h_t‖ of a vanilla RNN of the same size at initialisation (sent by the LSTM worker only). */
      readonly rnnGradientFlow?: readonly number[];
    }
  | { readonly type: 'exported'; readonly onnx: Uint8Array; readonly input: TensorData; readonly output: Extract<TensorData, { dtype: 'float32' }> }
  | { readonly type: 'sampled'; readonly text: string }
  | { readonly type: 'error'; readonly message: string };
