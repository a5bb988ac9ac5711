/** Float64 reference of a SequenceModel: Embedding → recurrent (PyTorch semantics) → pooling → Linear. */
import { Rng } from '@gated/tensor';
import type { SequenceModelSpec } from '../build-model.js';
import { dirs, outSize, type RecurrentSpec } from '../recurrent-spec.js';
import { referenceForward, type SpecOptions, randomSpec } from './reference-rnn.js';

export function referenceModel(
  m: SequenceModelSpec,
  input: number[][] | number[][][],
  lengths?: readonly number[],
): { logits: number[][] | number[][][]; hidden: number[][][]; cell?: number[][][] } {
  let x: number[][][];
  if (m.embedding) {
    const E = m.embedding.shape[1]!;
    x = (input as number[][]).map((row) => row.map((id) => Array.from(m.embedding!.data.subarray(id * E, (id + 1) * E))));
  } else x = input as number[][][];
  const r = referenceForward(m.rnn, x, lengths);
  const [outF, inF] = m.head.weight.shape as [number, number];
  const linear = (v: readonly number[]): number[] =>
    Array.from({ length: outF }, (_, o) => {
      let s = m.head.bias ? m.head.bias.data[o]! : 0;
      for (let i = 0; i < inF; i++) s += m.head.weight.data[o * inF + i]! * v[i]!;
      return s;
    });
  const B = x.length;
  const T = x[0]!.length;
  const Ho = outSize(m.rnn);
  const D = dirs(m.rnn);
  let logits: number[][] | number[][][];
  if (m.pooling === 'none') logits = r.output.map((seq) => seq.map(linear));
  else if (m.pooling === 'last') {
    const top = (m.rnn.numLayers - 1) * D;
    logits = Array.from({ length: B }, (_, b) => linear([...r.hidden[top]![b]!, ...(D === 2 ? r.hidden[top + 1]![b]! : [])]));
  } else {
    logits = r.output.map((seq, b) => {
      const len = lengths ? lengths[b]! : T;
      const mean = new Array<number>(D * Ho).fill(0);
      for (let t = 0; t < len; t++) for (let j = 0; j < D * Ho; j++) mean[j]! += seq[t]![j]! / len;
      return linear(mean);
    });
  }
  return { logits, hidden: r.hidden, ...(r.cell ? { cell: r.cell } : {}) };
}

/** A random SequenceModelSpec: embedding when vocabSize is given, Linear head with bias. */
export function randomModel(
  o: SpecOptions & { vocabSize?: number; outputSize: number; pooling: SequenceModelSpec['pooling'] },
  seed: number,
): SequenceModelSpec {
  const { vocabSize, outputSize, pooling, ...rnnOptions } = o;
  const rnn: RecurrentSpec = randomSpec(rnnOptions, seed);
  const rng = new Rng(seed + 1);
  const D = dirs(rnn) * outSize(rnn);
  return {
    rnn,
    ...(vocabSize ? { embedding: { shape: [vocabSize, rnn.inputSize], data: rng.uniformArray(vocabSize * rnn.inputSize, -1, 1) } } : {}),
    head: {
      weight: { shape: [outputSize, D], data: rng.uniformArray(outputSize * D, -0.5, 0.5) },
      bias: { shape: [outputSize], data: rng.uniformArray(outputSize, -0.5, 0.5) },
    },
    pooling,
  };
}
