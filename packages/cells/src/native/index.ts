// The single entry the rest of @gated/cells imports the native kernels from.
export { nativeAvailable, nativeInfo, nativeKernel, nativeUnavailableReason, setNativeIsa, setNativeThreads } from './native-kernel.js';
export type { NativeInfo, NativeIsa } from './native-kernel.js';
export { NativeUnavailableError } from './errors.js';
