import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { nativeAdamAvailable } from '@gated/cells';
import { initBackend } from '@gated/tensor';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer, type OptimizerOptions } from './create-optimizer.js';
import type { OptimizerKind } from './optimizer.js';
import { present } from './test-utils/present.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

interface Fixture {
  torch: string;
  shapes: Record<string, number[]>;
  initial: Record<string, number[]>;
  gradients: Record<string, number[]>[];
  cases: { name: string; torch: string; options: Record<string, unknown>; learningRates: number[]; after: Record<string, number[]>[] }[];
}
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/optimizers.json', import.meta.url), 'utf8')) as Fixture;

// PyTorch option names → ours.
function translate(options: Record<string, unknown>): OptimizerOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === 'lr') out['learningRate'] = value;
    else if (key === 'betas') [out['beta1'], out['beta2']] = value as [number, number];
    else if (key === 'eps') out['epsilon'] = value;
    else if (key === 'weight_decay') out['weightDecay'] = value;
    else out[key] = value;
  }
  return out as OptimizerOptions;
}

const variables: tf.Variable[] = [];
afterEach(() => {
  for (const v of variables.splice(0)) v.dispose();
});

describe(`optimizers match PyTorch ${fixture.torch} within 1e-6 relative over ${fixture.gradients.length} steps with a changing learning rate`, () => {
  // Adam and AdamW run every way: in place in the wasm heap (auto), the native kernel of @gated/cells (where it
  // loads) and tfjs ops.
  const runs = fixture.cases.flatMap((c): { c: Fixture['cases'][number]; kernels: 'auto' | 'native' | 'tfjs' | undefined }[] =>
    c.torch.startsWith('Adam') ? (['auto', 'native', 'tfjs'] as const).filter((k) => k !== 'native' || nativeAdamAvailable()).map((kernels) => ({ c, kernels })) : [{ c, kernels: undefined }],
  );
  for (const { c, kernels } of runs) {
    it(`${c.name} (torch.optim.${c.torch} ${JSON.stringify(c.options)})${kernels ? `, ${kernels}` : ''}`, () => {
      const before = tf.memory().numTensors;
      const params: Record<string, tf.Variable> = {};
      for (const [name, shape] of Object.entries(fixture.shapes)) {
        const value = tf.tensor(present(fixture.initial[name], `initial ${name}`), shape);
        params[name] = tf.variable(value);
        value.dispose();
        variables.push(params[name]);
      }
      const opt = createOptimizer(c.torch.toLowerCase() as OptimizerKind, { ...translate(c.options), ...(kernels ? { kernels } : {}) } as OptimizerOptions);
      fixture.gradients.forEach((g, k) => {
        const grads = Object.fromEntries(Object.entries(fixture.shapes).map(([n, shape]) => [n, tf.tensor(present(g[n], `gradient ${n}`), shape)]));
        opt.step(params, grads, present(c.learningRates[k], `learning rate ${k}`));
        tf.dispose(Object.values(grads));
        for (const [name, expected] of Object.entries(present(c.after[k], `step ${k + 1}`))) {
          const actual = present(params[name], name).dataSync();
          const scale = Math.max(...expected.map(Math.abs));
          const worst = Math.max(...expected.map((e, i) => Math.abs(present(actual[i], `${name}[${i}]`) - e)));
          expect(worst / scale, `${name} after step ${k + 1}`).toBeLessThan(1e-6);
        }
      });
      expect(opt.stepCount).toBe(fixture.gradients.length);
      opt.dispose();
      tf.dispose(variables.splice(0));
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('optimizer state', () => {
  it('a state dict restored into a fresh optimizer continues exactly', () => {
    const init = tf.tensor([0.5, -1, 2]);
    const a = tf.variable(init);
    const b = tf.variable(init);
    variables.push(a, b);
    const grad = (k: number) => tf.tensor([Math.sin(k), Math.cos(k), 0.3 * k]);
    const straight = createOptimizer('adamw', { learningRate: 0.1 });
    const first = createOptimizer('adamw', { learningRate: 0.1 });
    for (let k = 0; k < 3; k++) {
      const g = grad(k);
      straight.step({ p: a }, { p: g });
      first.step({ p: b }, { p: g });
      g.dispose();
    }
    const state = first.stateDict();
    first.dispose();
    const resumed = createOptimizer('adamw', { learningRate: 0.1 });
    resumed.loadStateDict(state);
    tf.dispose(Object.values(state.slots));
    for (let k = 3; k < 6; k++) {
      const g = grad(k);
      straight.step({ p: a }, { p: g });
      resumed.step({ p: b }, { p: g });
      g.dispose();
    }
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(() => createOptimizer('adam').loadStateDict(resumed.stateDict())).toThrow(/state.kind: expected "adam", got "adamw"/);
    straight.dispose();
    resumed.dispose();
    init.dispose();
  });

  it('rejects options the optimizer does not have', () => {
    expect(() => createOptimizer('sgd', { beta1: 0.9 })).toThrow(/createOptimizer\('sgd'\): unknown option "beta1"/);
    expect(() => createOptimizer('sgd', { nesterov: true })).toThrow(/nesterov: expected momentum > 0/);
  });
});
