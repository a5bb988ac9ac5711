import * as tf from '@tensorflow/tfjs-core';
import { frameNll, frameNllPerStep, frameNllSums, loadJsbChorales, nextStepBatch, nextStepBatches, PIANO_KEYS, type NllSums, type PianoRoll } from '@gated/datasets-music';
import { ArgumentError, type Batch } from '@gated/tensor';
import type { EvalSplit, PaperBudget, PaperTaskDefinition, PreparedPaperTask } from './paper-task.js';

const EVAL_BATCH = 16;

type EvalBatch = Batch & { readonly lengths: tf.Tensor1D; readonly mask: tf.Tensor2D };

function evalBatches(pieces: readonly PianoRoll[]): EvalBatch[] {
  const out: EvalBatch[] = [];
  for (let i = 0; i < pieces.length; i += EVAL_BATCH) out.push(nextStepBatch(pieces.slice(i, i + EVAL_BATCH)));
  return out;
}

async function prepare(budget: PaperBudget): Promise<PreparedPaperTask> {
  const corpus = await loadJsbChorales();
  const splits: Record<EvalSplit, EvalBatch[]> = { valid: evalBatches(corpus.valid), test: evalBatches(corpus.test) };
  return {
    model: { input: { kind: 'features', inputSize: PIANO_KEYS }, outputSize: PIANO_KEYS, pooling: 'none' },
    seqLen: Math.max(...corpus.train.map((p) => p.steps)) - 1,
    trainBatches(seed: number): AsyncIterator<Batch> {
      const data = nextStepBatches(corpus.train, { batchSize: budget.batchSize, shuffle: true, seed });
      return (async function* () {
        for (let epoch = 0; ; epoch++) {
          data.setEpoch(epoch);
          yield* data;
        }
      })();
    },
    loss(output, batch) {
      // The metric itself: Σ over keys of the Bernoulli NLL, averaged over the batch's valid steps.
      const { mask } = batch;
      if (mask === undefined) throw new ArgumentError('music-jsb batch mask', 'a [batch, steps] mask of valid steps', 'none');
      return tf.tidy(() => {
        return tf.div(tf.sum(tf.mul(frameNllPerStep(output, batch.y), mask)), tf.sum(mask)) as tf.Scalar;
      });
    },
    async evaluate(predict, split) {
      const sums: NllSums[] = [];
      for (const b of splits[split]) {
        const out = predict(b.x, b.lengths);
        sums.push(await frameNllSums(out, b.y, b.mask));
        out.dispose();
      }
      return frameNll(sums);
    },
    dispose() {
      for (const b of [...splits.valid, ...splits.test]) tf.dispose([b.x, b.y, b.lengths, b.mask]);
    },
  };
}

/**
 * JSB Chorales next-step prediction, as in Chung, Gulcehre, Cho & Bengio (2014, "Empirical Evaluation of Gated
 * Recurrent Neural Networks on Sequence Modeling", Table 2): models of about 20k parameters (tanh RNN 100 units,
 * GRU 46, LSTM 36), test NLL per time step tanh 9.19, GRU 8.54, LSTM 8.67.
 */
export const musicJsb: PaperTaskDefinition = {
  id: 'music-jsb',
  title: 'Polyphonic music: JSB Chorales',
  source: 'Chung, Gulcehre, Cho & Bengio 2014, Table 2 (test NLL per time step)',
  data: 'JSB Chorales, quarter-note piano rolls, standard 229/76/77 split (Boulanger-Lewandowski et al. 2012); predict frame t+1 from frames ≤ t',
  metric: { name: 'nll/step', higherIsBetter: false },
  paperParams: 20_000,
  // CPU ms per step (the mean: batches of 16 pieces differ in length) and per evaluation of the validation / test split (tools/paper/step-cost.ts).
  models: {
    lstm: { hiddenSize: 36, published: 8.67, cost: { stepMs: 30, validEvalMs: 65, testEvalMs: 32 } },
    gru: { hiddenSize: 46, published: 8.54, cost: { stepMs: 26, validEvalMs: 55, testEvalMs: 28 } },
    rnn: { hiddenSize: 100, published: 9.19, cost: { stepMs: 21, validEvalMs: 45, testEvalMs: 33 } },
  },
  requires: '@gated/datasets-music',
  budgets: {
    quick: { batchSize: 16, learningRates: [0.01], searchSteps: 4, maxSteps: 4, evalEvery: 2, patience: 2, clipNorm: 1 },
    // 15 steps are one epoch of the 229 training pieces: up to 200 epochs, validation every 2, stopped after 20 without
    // improvement. Measured on seed 0: GRU at lr 0.02 best at step 630 (validation 8.77, test 8.85), then overfitting
    // (9.1 by 3,000); tanh RNN at 0.01 best at 1,500 (test 8.89), stopped at 1,800; LSTM at 0.005 still improving
    // slowly at 2,400 (validation 8.55 → 8.52 over the last 300 steps, test 8.61).
    full: { batchSize: 16, learningRates: [0.005, 0.01, 0.02], searchSteps: 3000, maxSteps: 3000, evalEvery: 30, patience: 10, clipNorm: 1 },
  },
  prepare,
};
