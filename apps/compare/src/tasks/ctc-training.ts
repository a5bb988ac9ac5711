import * as tf from '@tensorflow/tfjs-core';
import type { SequenceModel } from '@gated/cells';
import { ctcLoss, greedyDecode, prefixBeamSearch } from '@gated/ctc';
import type { TranscriptBatch } from '@gated/datasets-speech';
import type { Dataset } from '@gated/tensor';
import { Adam, clipCoefficient, globalNormValue } from '@gated/trainer';
import { at } from '../lookup.js';
import type { Predict } from './task.js';

/** Output classes of a digit recogniser: class 0 is the CTC blank, class d + 1 is digit d. */
export const DIGIT_CLASSES = ['<blank>', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
/** The CTC blank's class. */
export const BLANK = 0;
/** Beam width of the beam-search results the task reports. */
export const BEAM_WIDTH = 8;

/** CTC targets of digit transcripts: digit d → class d + 1. */
export function digitTargets(tokens: readonly (readonly number[])[]): number[][] {
  return tokens.map((t) => t.map((d) => d + 1));
}

/** Digits of decoded classes: class c → digit c − 1. */
export function classesToDigits(classes: readonly number[]): number[] {
  return classes.map((c) => c - 1);
}

/** Options of {@link trainCtc}. */
export interface CtcTrainOptions {
  readonly steps: number;
  readonly learningRate: number;
  /** Clip the global gradient norm to this. */
  readonly clipNorm: number;
  /** Called after every step with its 1-based number, the batch's CTC loss (mean per target digit) and wall time. */
  readonly onStep?: (step: number, loss: number, ms: number) => void | Promise<void>;
}

/**
 * Trains an acoustic model (a SequenceModel with per-step outputs over {@link DIGIT_CLASSES}) with CTC and Adam:
 * forward over [B, T, F] with lengths, log-softmax, `ctcLoss` (batch-first, PyTorch's 'mean' reduction), global
 * norm clipping, an Adam step. Epochs repeat until `steps` steps are done.
 */
export async function trainCtc(model: SequenceModel, data: Dataset<TranscriptBatch>, options: CtcTrainOptions): Promise<void> {
  const params = model.parameters();
  const keyOf = new Map(Object.entries(params).map(([k, v]) => [v.name, k]));
  const optimizer = new Adam({ learningRate: options.learningRate });
  let step = 0;
  try {
    while (step < options.steps) {
      let yielded = false;
      for await (const batch of data) {
        yielded = true;
        const start = performance.now();
        let lossValue = Number.NaN;
        try {
          const targets = digitTargets(batch.tokens);
          const inputLengths = Array.from(batch.lengths.dataSync());
          const { value, grads } = tf.variableGrads(
            () =>
              tf.tidy(() => {
                const { output } = model.forward(batch.x, { lengths: batch.lengths, training: true });
                return ctcLoss(tf.logSoftmax(output), targets, inputLengths, undefined, { batchFirst: true, zeroInfinity: true }) as tf.Scalar;
              }),
            Object.values(params),
          );
          const named: Record<string, tf.Tensor> = {};
          for (const [name, g] of Object.entries(grads)) named[keyOf.get(name) ?? name] = g;
          // the norm in one pass over the gradients where they sit, and clip_grad_norm_'s coefficient applied inside
          // the optimizer's update (no tfjs op per gradient)
          const norm = globalNormValue(Object.values(named));
          optimizer.step(params, named, undefined, clipCoefficient(options.clipNorm, norm));
          lossValue = at(value.dataSync(), 0, 'loss value');
          tf.dispose([value, ...Object.values(grads)]);
        } finally {
          tf.dispose([batch.x, batch.y, batch.lengths, batch.targetLengths]);
        }
        step++;
        await options.onStep?.(step, lossValue, performance.now() - start);
        if (step >= options.steps) break;
      }
      if (!yielded) throw new Error('the training data yielded no batch');
    }
  } finally {
    optimizer.dispose();
  }
}

/** Decoded digit strings of one batch, greedy and beam. */
export interface DecodedBatch {
  readonly greedy: number[][];
  readonly beam: number[][];
}

/** Runs a model's forward pass on a batch and decodes it both ways (digits, not classes). */
export function decodeBatch(predict: Predict, x: tf.Tensor, lengths: tf.Tensor1D): DecodedBatch {
  const logProbs = tf.tidy(() => tf.logSoftmax(predict(x, lengths)));
  try {
    const view = { data: logProbs.dataSync() as Float32Array, shape: logProbs.shape };
    const frames = lengths.dataSync();
    const greedy = greedyDecode(view, frames, { batchFirst: true, blank: BLANK }).map((h) => classesToDigits(h.tokens));
    const beam = prefixBeamSearch(view, frames, { batchFirst: true, blank: BLANK, beamWidth: BEAM_WIDTH }).map((hs) => classesToDigits(hs[0]?.tokens ?? []));
    return { greedy, beam };
  } finally {
    logProbs.dispose();
  }
}
