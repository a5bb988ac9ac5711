import { GatedError } from '@gated/tensor';

/** The fused wasm kernels cannot run here (no WebAssembly SIMD, or the module has not been loaded yet). */
export class FusedUnavailableError extends GatedError<{ reason: string }> {
  constructor(reason: string, cause?: unknown) {
    super('GATED_FUSED_UNAVAILABLE', `fused recurrent kernels unavailable: ${reason}`, { reason }, { cause });
  }
}
