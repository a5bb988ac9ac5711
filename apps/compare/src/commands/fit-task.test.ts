import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { parseFitTask } from './fit-task.js';

describe('parseFitTask', () => {
  it('takes the tasks trained with fit', () => {
    expect(parseFitTask('text-lm')).toBe('text-lm');
  });

  it('refuses speech-ctc with the command that trains it, instead of failing inside fit', () => {
    expect(() => parseFitTask('speech-ctc')).toThrow(UsageError);
    expect(() => parseFitTask('speech-ctc')).toThrow(/gated transcribe --train/);
  });
});
