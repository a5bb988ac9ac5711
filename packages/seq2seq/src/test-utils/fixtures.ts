import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { assert, expect } from 'vitest';

/** A tensor as the fixture generator writes it. */
export interface Rec {
  readonly shape: number[];
  readonly data: number[];
}

/** Reads src/__fixtures__/<name>.json. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../__fixtures__/${name}.json`, import.meta.url), 'utf8')) as T;
}

export const tensorOf = (r: Rec): tf.Tensor => tf.tensor(r.data, r.shape);

/** A trainable variable holding a fixture tensor (the temporary is freed). */
export function variableOf<R extends tf.Rank>(r: Rec): tf.Variable<R> {
  const t = tensorOf(r);
  const v = tf.variable(t);
  t.dispose();
  return v as unknown as tf.Variable<R>;
}

/** Assigns every fixture weight to the parameter of that name; both sides must have exactly the same names. */
export function assignWeights(params: Record<string, tf.Variable>, weights: Record<string, Rec>): void {
  expect(Object.keys(params).sort()).toEqual(Object.keys(weights).sort());
  for (const [name, r] of Object.entries(weights)) {
    const param = params[name];
    assert.isDefined(param, `a parameter named ${name}`);
    const t = tensorOf(r);
    param.assign(t);
    t.dispose();
  }
}

/** |actual − expected| ≤ tol · max(1, |expected|) elementwise, with the shape checked. */
export function expectClose(label: string, actual: tf.Tensor, expected: Rec, tol: number): void {
  expect(actual.shape, label).toEqual(expected.shape);
  const a = actual.dataSync();
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - expected.data[i]!) / Math.max(1, Math.abs(expected.data[i]!)));
  expect(worst, `${label}: worst relative error`).toBeLessThanOrEqual(tol);
}
