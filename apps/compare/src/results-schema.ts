import { ResultsFormatError } from './errors.js';
import { MODEL_KINDS, SIZINGS, TASK_IDS } from './grid.js';
import { SCHEMA_VERSION } from './results.js';

// The shape of results.json, checked in full when a file is read, so that merging and reporting can trust every
// field (a file edited by hand or cut short is a ResultsFormatError naming the field, never a TypeError later).
type Shape =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'null'
  | 'any'
  | { readonly enum: readonly unknown[] }
  | { readonly array: Shape }
  | { readonly object: Readonly<Record<string, Shape>>; readonly optional?: readonly string[] }
  | { readonly record: Shape }
  | { readonly either: readonly Shape[] };

const num: Shape = 'number';
const numOrNull: Shape = { either: ['number', 'null'] };
const numbers: Shape = { array: num };
const task: Shape = { enum: TASK_IDS };
const model: Shape = { enum: MODEL_KINDS };
const sizing: Shape = { enum: SIZINGS };
const runtimePair: Shape = { object: { tfjs: num, onnxruntime: numOrNull } };
const budget: Shape = {
  object: {
    hiddenSize: 'integer',
    steps: 'integer',
    batchSize: 'integer',
    seqLen: 'integer',
    learningRate: num,
    maxEvalExamples: 'integer',
    curvePoints: 'integer',
    schedule: { object: { kind: { enum: ['cosine'] }, warmupSteps: 'integer' } },
    forgetBias: num,
    bestCheckpoint: { enum: ['validation'] },
  },
  optional: ['seqLen', 'schedule', 'forgetBias', 'bestCheckpoint'],
};
const seedResult: Shape = {
  object: {
    seed: 'integer',
    metric: num,
    extraMetrics: { record: num },
    trainStepMs: num,
    epochMs: num,
    trainMs: num,
    inferLatencyMs: runtimePair,
    throughputPerSec: runtimePair,
    peakTensorBytes: num,
    rssBytes: num,
    curve: { object: { step: numbers, trainLoss: numbers, evalStep: numbers, evalMetric: numbers } },
    bestStep: 'integer',
  },
  optional: ['bestStep'],
};
const runEntry: Shape = {
  object: {
    task,
    model,
    sizing,
    config: {
      object: {
        hiddenSize: 'integer',
        input: 'string',
        outputSize: 'integer',
        pooling: { enum: ['last', 'mean', 'none'] },
        steps: 'integer',
        batchSize: 'integer',
        seqLen: { either: ['integer', 'null'] },
        learningRate: num,
        stepsPerEpoch: 'integer',
        targetParams: { either: ['integer', 'null'] },
      },
    },
    seeds: { array: seedResult },
    params: 'integer',
    weightBytes: num,
    trainStepMs: num,
    epochMs: num,
    inferLatencyMs: runtimePair,
    throughputPerSec: runtimePair,
    peakTensorBytes: num,
    rssBytes: num,
    metric: { object: { name: 'string', mean: num, std: num, higherIsBetter: 'boolean', ciLow: numOrNull, ciHigh: numOrNull, n: 'integer' } },
    extraMetrics: { record: { object: { mean: num, std: num } } },
    curves: {
      object: { step: numbers, trainLoss: numbers, trainLossStd: numbers, evalStep: numbers, evalMetric: numbers, evalMetricStd: numbers },
    },
    pairedSpeed: { object: { race: 'string', trainStepCpuMs: numbers, inferLatencyCpuMs: numbers, trainStepMs: numbers, inferLatencyMs: numbers } },
  },
  optional: ['pairedSpeed'],
};
const RESULTS: Shape = {
  object: {
    schemaVersion: { enum: [SCHEMA_VERSION] },
    machine: {
      object: {
        platform: 'string',
        arch: 'string',
        cpuModel: 'string',
        cpus: 'integer',
        totalMemBytes: num,
        node: 'string',
        tfjsBackend: 'string',
        tfjsVersion: 'string',
        onnxruntimeVersion: { either: ['string', 'null'] },
      },
    },
    config: {
      object: {
        tasks: { array: task },
        models: { array: model },
        seeds: { array: 'integer' },
        quick: 'boolean',
        backend: 'string',
        shard: { either: ['null', { object: { index: 'integer', count: 'integer' } }] },
        budgets: { record: budget },
        startedAt: 'string',
      },
    },
    runs: { array: runEntry },
    verdicts: { array: 'any' },
    gradientFlow: { array: { object: { task, model, seed: 'integer', seqLen: 'integer', initial: numbers, trained: numbers } } },
    failures: { array: { object: { task, model, sizing, code: 'string', message: 'string' } } },
    attentionMaps: {
      array: {
        object: { task, model, seed: 'integer', word: 'string', graphemes: { array: 'string' }, phonemes: { array: 'string' }, reference: { array: 'string' }, weights: { array: numbers } },
      },
    },
    finishedAt: 'string',
  },
  optional: ['finishedAt', 'attentionMaps'],
};

const show = (value: unknown): string => (value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value)).slice(0, 80));

function describeShape(shape: Shape): string {
  if (typeof shape === 'string') return shape === 'integer' ? 'an integer' : shape === 'null' ? 'null' : `a ${shape}`;
  if ('enum' in shape) return `one of ${shape.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if ('array' in shape) return 'an array';
  if ('either' in shape) return shape.either.map(describeShape).join(' or ');
  return 'an object';
}

function matches(value: unknown, shape: Shape): boolean {
  switch (shape) {
    case 'any':
      return true;
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
  }
  if ('enum' in shape) return shape.enum.includes(value);
  if ('array' in shape) return Array.isArray(value);
  if ('either' in shape) return shape.either.some((s) => matches(value, s));
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function check(file: string, field: string, value: unknown, shape: Shape): void {
  const either = typeof shape === 'object' && 'either' in shape ? shape.either.find((s) => matches(value, s)) : shape;
  if (either === undefined || !matches(value, either)) throw new ResultsFormatError(file, field, describeShape(shape), show(value));
  if (typeof either !== 'object' || 'enum' in either || 'either' in either) return;
  if ('array' in either) {
    (value as unknown[]).forEach((v, i) => {
      check(file, `${field}[${i}]`, v, either.array);
    });
  } else if ('record' in either) {
    for (const [k, v] of Object.entries(value as object)) check(file, `${field}.${k}`, v, either.record);
  } else {
    const o = value as Record<string, unknown>;
    for (const [k, s] of Object.entries(either.object)) {
      if (o[k] === undefined && either.optional?.includes(k)) continue;
      check(file, field === '' ? k : `${field}.${k}`, o[k], s);
    }
  }
}

/** Throws a {@link ResultsFormatError} naming the first field of `data` that does not have results.json's shape. */
export function checkResultsShape(file: string, data: unknown): void {
  check(file, '', data, RESULTS);
}
