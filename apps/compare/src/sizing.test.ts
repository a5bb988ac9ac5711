import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ModelShape, modelParams, recurrentParams, solveHiddenSize } from './sizing.js';

interface TorchCase extends ModelShape {
  readonly torchParams: number;
  readonly torchRecurrentParams: number;
}
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/torch-param-counts.json', import.meta.url), 'utf8')) as {
  cases: TorchCase[];
};

describe('sizing', () => {
  it.each(fixture.cases.map((c) => [`${c.kind} ${JSON.stringify(c)}`, c] as const))(
    'counts parameters exactly as PyTorch 1.13 does: %s',
    (_name, c) => {
      expect(modelParams(c)).toBe(c.torchParams);
      const inputSize = c.vocabSize !== undefined ? c.embeddingDim! : c.inputSize!;
      expect(recurrentParams({ ...c, inputSize })).toBe(c.torchRecurrentParams);
    },
  );

  it('widens the GRU to the LSTM parameter count within one hidden unit', () => {
    const base = { inputSize: 2, hiddenSize: 64, outputSize: 1 } as const;
    const lstm = modelParams({ kind: 'lstm', ...base });
    const solved = solveHiddenSize({ kind: 'gru', ...base }, lstm);
    expect(solved.hiddenSize).toBe(74);
    const below = modelParams({ kind: 'gru', ...base, hiddenSize: solved.hiddenSize - 1 });
    const above = modelParams({ kind: 'gru', ...base, hiddenSize: solved.hiddenSize + 1 });
    expect(Math.abs(solved.params - lstm)).toBeLessThanOrEqual(Math.abs(below - lstm));
    expect(Math.abs(solved.params - lstm)).toBeLessThanOrEqual(Math.abs(above - lstm));
    expect(Math.abs(solved.relativeGap)).toBeLessThan(0.02);
  });

  it('solves equal parameters with an embedding front-end too', () => {
    const base = { vocabSize: 80, embeddingDim: 32, hiddenSize: 128, outputSize: 80 } as const;
    const lstm = modelParams({ kind: 'lstm', ...base });
    const solved = solveHiddenSize({ kind: 'gru', ...base }, lstm);
    expect(solved.hiddenSize).toBeGreaterThan(128);
    expect(Math.abs(solved.relativeGap)).toBeLessThan(0.01);
  });

  it('rejects a model without input features', () => {
    expect(() => modelParams({ kind: 'gru', hiddenSize: 4, outputSize: 1 })).toThrow(/inputSize/);
  });
});
