import { EmptyDatasetError, ShapeMismatchError } from '../errors.js';
import { type Probe, probe } from '../probe.js';
import { disposeBatch } from './batch-step.js';
import type { RunContext } from './run-context.js';

/**
 * Probes the first batch of `validationData` before training starts: an empty set, or targets of the other kind
 * than the training data's (per step vs per sequence), is an error now rather than after the first epoch.
 */
export async function checkValidationData<S>(run: RunContext<S>, p: Probe): Promise<void> {
  const data = run.options.validationData;
  if (data === undefined) return;
  const it = data[Symbol.asyncIterator]();
  const first = await it.next();
  await it.return?.();
  if (first.done) throw new EmptyDatasetError('validationData');
  const b = first.value;
  try {
    const v = probe(run.model, b, p.loss, undefined, 'validationData');
    if (v.perStep !== p.perStep) throw new ShapeMismatchError('validationData targets', p.perStep ? 'per-step targets like trainData' : 'sequence targets like trainData', 'the other kind');
  } finally {
    disposeBatch(b);
  }
}
