/**
 * Base class of every error gated throws on purpose. `code` is stable across versions, so callers can branch on
 * it; `details` carries the typed payload (expected, actual, file, key, …).
 */
export class GatedError<Details extends object = Record<string, unknown>> extends Error {
  readonly code: string;
  readonly details: Details;

  constructor(code: string, message: string, details: Details, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** An argument has the wrong shape, type or value. */
export class ArgumentError extends GatedError<{ argument: string; expected: string; actual: string }> {
  constructor(argument: string, expected: string, actual: string) {
    super('GATED_BAD_ARGUMENT', `${argument}: expected ${expected}, got ${actual}`, { argument, expected, actual });
  }
}

/** A tfjs backend was asked for and cannot be loaded. */
export class BackendUnavailableError extends GatedError<{ backend: string; install: string }> {
  constructor(backend: string, install: string, cause?: unknown) {
    super(
      'GATED_BACKEND_UNAVAILABLE',
      `tfjs backend "${backend}" cannot be loaded; install it with: ${install}`,
      { backend, install },
      { cause },
    );
  }
}

/**
 * A Node-only operation (files on disk, native addons) was called in a browser or another runtime without Node's
 * built-ins. Code `GATED_NEEDS_NODE`; `operation` names the Node API that was needed.
 */
export class NodeOnlyError extends GatedError<{ operation: string }> {
  constructor(operation: string) {
    super(
      'GATED_NEEDS_NODE',
      `${operation} needs Node.js and is not available in this runtime (a browser has no file system paths); ` +
        'in a browser, fetch the bytes or text yourself and pass them to the function that takes bytes (see the package README, "In a browser")',
      { operation },
    );
  }
}
