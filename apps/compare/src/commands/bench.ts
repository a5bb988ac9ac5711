import * as tf from '@tensorflow/tfjs-core';
import { SequenceModel } from '@gated/cells';
import { type Batch, type Dataset, initBackend } from '@gated/tensor';
import { fit } from '@gated/trainer';
import { parseBackend } from '../cli-args.js';
import { MODEL_KINDS } from '../grid.js';
import { at } from '../lookup.js';
import { textTable } from '../summary-table.js';

/** One measured configuration of `gated bench`. */
export interface BenchRow {
  readonly model: string;
  readonly hiddenSize: number;
  readonly params: number;
  readonly trainStepMs: number;
  readonly latencyMs: number;
  /** Ratios to the LSTM of the same hidden size measured in the same run. */
  readonly stepVsLstm: number;
  readonly latencyVsLstm: number;
}

const median = (v: number[]): number => at([...v].sort((a, b) => a - b), Math.floor(v.length / 2), 'timings');

/**
 * `gated bench`: training-step time (batch 32, 50 steps of 16 features) and batch-1 inference latency of LSTM,
 * GRU and RNN layers at a few hidden sizes, with ratios to the LSTM measured in the same run.
 */
export async function benchCommand(values: Readonly<Record<string, string | boolean | undefined>>, print: (text: string) => void): Promise<number> {
  const backend = await initBackend({ backend: parseBackend(values['backend'] as string | undefined) });
  const quick = values['quick'] === true;
  const sizes = quick ? [32] : [64, 128, 256];
  const steps = quick ? 4 : 10;
  const [B, T, F] = [32, 50, 16];
  const rows: BenchRow[] = [];
  for (const hiddenSize of sizes) {
    const lstm: { step: number; latency: number } = { step: Number.NaN, latency: Number.NaN };
    for (const kind of MODEL_KINDS) {
      const model = new SequenceModel({ kind, inputSize: F, hiddenSize, outputSize: 10, pooling: 'last', seed: 0 });
      const stepTimes: number[] = [];
      const data: Dataset<Batch> = {
        size: steps,
        async *[Symbol.asyncIterator]() {
          for (let i = 0; i < steps; i++) yield { x: tf.randomNormal([B, T, F], 0, 1, 'float32', i), y: tf.zeros([B], 'int32') };
        },
      };
      let last = performance.now();
      await fit(model, data, {
        steps,
        loss: 'crossEntropy',
        progress: 'none',
        callbacks: {
          onBatchEnd: () => {
            stepTimes.push(performance.now() - last);
            last = performance.now();
          },
        },
      });
      const x = tf.randomNormal([1, T, F], 0, 1, 'float32', 99);
      const latencies: number[] = [];
      for (let i = 0; i < (quick ? 5 : 20); i++) {
        const start = performance.now();
        const out = tf.tidy(() => model.forward(x, { training: false }).output);
        await out.data();
        out.dispose();
        if (i >= 2) latencies.push(performance.now() - start);
      }
      x.dispose();
      const step = median(stepTimes.slice(1));
      const latency = median(latencies);
      if (kind === 'lstm') Object.assign(lstm, { step, latency });
      rows.push({ model: kind, hiddenSize, params: model.countParams(), trainStepMs: step, latencyMs: latency, stepVsLstm: step / lstm.step, latencyVsLstm: latency / lstm.latency });
      model.dispose();
    }
  }
  if (values['json'] === true) print(`${JSON.stringify({ backend, batch: B, seqLen: T, features: F, rows })}\n`);
  else {
    print(`gated bench on ${backend}: batch ${B}, ${T} steps of ${F} features; ratios against the LSTM of the same size\n\n`);
    print(
      `${textTable(
        ['model', 'H', 'params', 'step ms', '×lstm', 'latency ms', '×lstm'],
        rows.map((r) => [r.model, String(r.hiddenSize), String(r.params), r.trainStepMs.toFixed(2), r.stepVsLstm.toFixed(2), r.latencyMs.toFixed(2), r.latencyVsLstm.toFixed(2)]),
      )}\n`,
    );
  }
  return 0;
}
