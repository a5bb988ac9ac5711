import { GatedError } from '@gated/tensor';

/** The native kernels cannot run here (no prebuilt binary for this platform, not Node, or it failed to load). */
export class NativeUnavailableError extends GatedError<{ reason: string }> {
  constructor(reason: string, cause?: unknown) {
    super('GATED_NATIVE_UNAVAILABLE', `native recurrent kernels unavailable: ${reason}`, { reason }, { cause });
  }
}
