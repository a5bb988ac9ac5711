// The single entry the rest of @gated/cells imports the native kernels from.
export { nativeAvailable, nativeInfo, nativeKernel, nativeUnavailableReason, setNativeIsa, setNativeThreads } from './native-addon.js';
export type { NativeInfo, NativeIsa } from './native-addon.js';
export { NativeUnavailableError } from './errors.js';
