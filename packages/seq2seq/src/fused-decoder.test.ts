import * as tf from '@tensorflow/tfjs-core';
import { fusedAvailable, nativeAvailable } from '@gated/cells';
import { initBackend } from '@gated/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { beamSearch } from './beam-search.js';
import { Decoder, type DecoderKernels } from './decoder.js';
import { greedyDecode } from './greedy-decode.js';
import { Seq2Seq } from './seq2seq.js';
import { type Seq2SeqOptions, resolveSeq2SeqOptions } from './seq2seq-options.js';

// The fused decoder paths compute what the tfjs step path computes; only the order of float sums differs.
const OUT_TOL = 1e-5;
const GRAD_TOL = 1e-4;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const source = [[3, 1, 4, 1, 5, 9, 2], [6, 2], [5, 3, 5, 8], [7, 7, 7, 1, 2]];
const target = [[3, 4, 5, 6, 9], [7], [8, 8, 3], [10, 4, 4, 5, 6, 7]];
const base = { sourceVocabSize: 11, targetVocabSize: 12, embeddingDim: 5, hiddenSize: 8, attentionSize: 6, seed: 3 } as const;

/** The worst |a − b| / max(1, |b|) over two tensors of the same shape. */
function worst(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const [x, y] = [a.dataSync(), b.dataSync()];
  let w = 0;
  for (let i = 0; i < x.length; i++) w = Math.max(w, Math.abs(x[i]! - y[i]!) / Math.max(1, Math.abs(y[i]!)));
  return w;
}

/** Loss and every gradient of a model (weights copied from `reference`) under each decoder implementation. */
function lossAndGrads(options: Seq2SeqOptions, reference: Seq2Seq): { loss: number; grads: Record<string, tf.Tensor> } {
  const model = new Seq2Seq(options);
  const weights = reference.stateDict();
  model.loadStateDict(weights);
  tf.dispose(Object.values(weights));
  const params = model.parameters();
  const { value, grads } = tf.variableGrads(() => model.loss({ source, target }), Object.values(params));
  const byName = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, grads[v.name] ?? tf.zerosLike(v)]));
  // 'auto' follows the encoder's layer: the compiled kernels ran (so the fused decoder did), not the tfjs steps
  if (options.decoderImplementation !== 'step') expect(['native', 'fused']).toContain(model.encoder.rnn.lastImplementation);
  const loss = value.dataSync()[0]!;
  value.dispose();
  model.dispose();
  return { loss, grads: byName };
}

const configs: Seq2SeqOptions[] = [];
for (const kind of ['lstm', 'gru'] as const) {
  for (const attention of ['none', 'dot', 'general', 'additive'] as const) {
    for (const numLayers of [1, 2]) {
      for (const inputFeeding of attention === 'none' ? [false] : [false, true]) configs.push({ ...base, kind, attention, numLayers, inputFeeding });
    }
  }
}

describe('the fused decoder computes what the step path computes', () => {
  it('runs the compiled kernels here (native addon or wasm SIMD), so the tests below compare two different paths', () => {
    expect(nativeAvailable() || fusedAvailable()).toBe(true);
  });

  for (const o of configs) {
    const name = `${o.kind} ${o.attention} ${o.numLayers}l${o.inputFeeding ? ' + input feeding' : ''}`;
    const path = o.inputFeeding ? 'one fused step per token' : 'one fused sequence per layer';
    it(`${name} (${path}): teacher-forced loss within 1e-5 and every gradient within 1e-4 of the step path`, () => {
      const reference = new Seq2Seq({ ...o, decoderImplementation: 'step' });
      const before = tf.memory().numTensors;
      const fused = lossAndGrads({ ...o, decoderImplementation: 'auto' }, reference);
      const step = lossAndGrads({ ...o, decoderImplementation: 'step' }, reference);
      expect(Math.abs(fused.loss - step.loss)).toBeLessThanOrEqual(OUT_TOL);
      for (const [k, g] of Object.entries(step.grads)) expect(worst(fused.grads[k]!, g), `∂L/∂${k}`).toBeLessThanOrEqual(GRAD_TOL);
      tf.dispose([...Object.values(fused.grads), ...Object.values(step.grads)]);
      expect(tf.memory().numTensors).toBe(before);
      reference.dispose();
    });
  }

  const kernels: DecoderKernels[] = (['wasm', 'native'] as const).filter((k) => (k === 'wasm' ? fusedAvailable() : nativeAvailable()));
  for (const k of kernels) {
    it(`Decoder.sequence with ${k} kernels equals T calls of Decoder.step (logits within 1e-5)`, () => {
      for (const kind of ['lstm', 'gru'] as const) {
        const o = resolveSeq2SeqOptions({ ...base, kind, attention: 'general', numLayers: 2, inputFeeding: false });
        const decoder = new Decoder(o);
        const before = tf.memory().numTensors;
        const [T, B, S] = [4, 3, 5];
        const keys = tf.randomNormal([B, S, o.hiddenSize], 0, 1, 'float32', 7) as tf.Tensor3D;
        const memory = decoder.attention?.prepare(keys, [5, 2, 4]) ?? null;
        const layers = Array.from({ length: 2 }, (_, i) => {
          const h = tf.randomNormal([B, o.hiddenSize], 0, 1, 'float32', 10 + i) as tf.Tensor2D;
          return kind === 'lstm' ? { h, c: tf.randomNormal([B, o.hiddenSize], 0, 1, 'float32', 20 + i) as tf.Tensor2D } : { h };
        });
        const ids = [1, 1, 1, 4, 5, 6, 7, 8, 9, 10, 11, 3];
        const tokens = tf.tensor2d(ids, [T, B], 'int32');
        const whole = decoder.sequence(tokens, { layers, feed: null }, memory, { kernels: k });
        const steps: tf.Tensor2D[] = [];
        let state = { layers, feed: null } as Parameters<Decoder['step']>[1];
        for (let t = 0; t < T; t++) {
          const ts = tf.tensor1d(ids.slice(t * B, (t + 1) * B), 'int32');
          const out = decoder.step(ts, state, memory);
          ts.dispose();
          if (state.layers !== layers) tf.dispose(state.layers.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])));
          tf.dispose(out.attention ?? []);
          steps.push(out.logits);
          state = out.state;
        }
        const byStep = tf.concat(steps, 0);
        expect(worst(whole, byStep)).toBeLessThanOrEqual(OUT_TOL);
        tf.dispose([whole, byStep, ...steps, tokens, keys, ...state.layers.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])), ...layers.flatMap((s) => (s.c ? [s.h, s.c] : [s.h]))]);
        if (memory) tf.dispose([memory.keys, memory.projected, memory.mask ?? []]);
        expect(tf.memory().numTensors).toBe(before);
        decoder.dispose();
      }
    });
  }

  for (const o of [
    { ...base, kind: 'lstm', attention: 'general', numLayers: 2 },
    { ...base, kind: 'gru', attention: 'additive', numLayers: 1, inputFeeding: false },
    { ...base, kind: 'gru', attention: 'none', numLayers: 1 },
  ] as const satisfies readonly Seq2SeqOptions[]) {
    it(`${o.kind} ${o.attention}: greedy and beam-search decoding with the fused step give the tokens of the step path, attention within 1e-5`, () => {
      const step = new Seq2Seq({ ...o, decoderImplementation: 'step' });
      const fused = new Seq2Seq(o);
      const weights = step.stateDict();
      fused.loadStateDict(weights);
      tf.dispose(Object.values(weights));
      const before = tf.memory().numTensors;
      const a = greedyDecode(fused, source, { maxLength: 9 });
      const b = greedyDecode(step, source, { maxLength: 9 });
      const ba = beamSearch(fused, source, { beamWidth: 3, maxLength: 9 });
      const bb = beamSearch(step, source, { beamWidth: 3, maxLength: 9 });
      expect(tf.memory().numTensors).toBe(before);
      a.forEach((h, i) => {
        expect(h.tokens).toEqual(b[i]!.tokens);
        expect(Math.abs(h.logProb - b[i]!.logProb)).toBeLessThanOrEqual(OUT_TOL * Math.max(1, Math.abs(b[i]!.logProb)));
        for (const [t, row] of h.attention.entries()) {
          for (const [s, v] of row.entries()) expect(Math.abs(v - b[i]!.attention[t]![s]!)).toBeLessThanOrEqual(OUT_TOL);
        }
      });
      expect(ba.map((r) => r.hypotheses.map((h) => h.tokens))).toEqual(bb.map((r) => r.hypotheses.map((h) => h.tokens)));
      step.dispose();
      fused.dispose();
    });
  }
});
