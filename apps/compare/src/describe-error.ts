import { GatedError } from '@gated/tensor';

/** The code and message an error is recorded with in results.json (a failed unit). */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof GatedError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'GATED_UNEXPECTED', message: `${error.name}: ${error.message}` };
  return { code: 'GATED_UNEXPECTED', message: String(error) };
}
