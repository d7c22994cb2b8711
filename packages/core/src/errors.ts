/**
 * Every failure polyinfer reports is a `PolyinferError` with a stable `code` and the facts that explain it
 * (expected vs got, which input, which file, which device). Callers branch on `code`, people read `message`.
 * Core owns these codes; other packages own theirs (preprocess: IMAGE_*, models: MODEL_NOT_FOUND, …).
 */
export type CoreErrorCode =
  | 'INVALID_TENSOR'
  | 'INVALID_INPUT_NAME'
  | 'MISSING_INPUT'
  | 'SHAPE_MISMATCH'
  | 'DTYPE_MISMATCH'
  | 'MODEL_LOAD_FAILED'
  | 'UNSUPPORTED_OP'
  | 'UNSUPPORTED_DTYPE'
  | 'DEVICE_UNAVAILABLE'
  | 'UNKNOWN_DEVICE'
  | 'BACKEND_UNAVAILABLE'
  | 'UNKNOWN_BACKEND'
  | 'NO_BACKEND_AVAILABLE'
  | 'USE_AFTER_DISPOSE'
  | 'INFERENCE_FAILED'
  | 'CANCELLED'
  | 'INVALID_CONFIG';

/**
 * Whose mistake a failure is: the caller's (what they passed does not fit: a server answers 4xx) or the system's
 * (a model, runtime, device or server failed: 5xx). Each error class says which; a server never guesses from codes.
 */
export type ErrorFault = 'caller' | 'system';

// Symbol.for is shared by every copy of this module in a process (two installed versions of @polyinfer/core, or a
// bundle beside node_modules), where `instanceof` only knows its own copy's classes.
const ERROR_BRAND = Symbol.for('polyinfer.error');

export class PolyinferError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly details: Readonly<Record<string, unknown>>;
  readonly fault: ErrorFault;

  constructor(
    code: Code,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown; fault?: ErrorFault },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    // polyinfer's own subclasses also spell their name out as a field: bundlers minify class names.
    this.name = new.target.name;
    this.code = code;
    this.details = details;
    this.fault = options?.fault ?? 'system';
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }

  /** `error instanceof PolyinferError` holds for errors made by any copy of core; subclasses check as usual. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === PolyinferError) return hasErrorBrand(value);
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

function hasErrorBrand(value: unknown): value is PolyinferError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ERROR_BRAND] === true;
}

/** A polyinfer error (from any copy of core), optionally with this code. */
export function isPolyinferError(error: unknown, code?: string): error is PolyinferError {
  return hasErrorBrand(error) && typeof error.code === 'string' && (code === undefined || error.code === code);
}

/** Whether an error is the caller's mistake (a polyinfer error whose class says so); anything else is the system's. */
export function isCallerFault(error: unknown): boolean {
  return isPolyinferError(error) && error.fault === 'caller';
}

/** The reason a polyinfer error carries in its details, else the message. */
export function reasonOf(error: unknown): string {
  if (isPolyinferError(error) && typeof error.details.reason === 'string') return error.details.reason;
  return error instanceof Error ? error.message : String(error);
}

export class InvalidTensorError extends PolyinferError {
  override readonly name = 'InvalidTensorError';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INVALID_TENSOR', message, details, { fault: 'caller' });
  }
}

export class InputNameError extends PolyinferError {
  override readonly name = 'InputNameError';
  constructor(
    readonly got: string,
    readonly expected: readonly string[],
  ) {
    super(
      'INVALID_INPUT_NAME',
      `Unknown input "${got}"; the model's inputs are: ${expected.join(', ')}`,
      { got, expected },
      { fault: 'caller' },
    );
  }
}

export class MissingInputError extends PolyinferError {
  override readonly name = 'MissingInputError';
  constructor(
    readonly input: string,
    readonly got: readonly string[],
  ) {
    super(
      'MISSING_INPUT',
      `Missing input "${input}" (feeds given: ${got.length ? got.join(', ') : 'none'})`,
      { input, got },
      { fault: 'caller' },
    );
  }
}

export class ShapeMismatchError extends PolyinferError {
  override readonly name = 'ShapeMismatchError';
  constructor(
    readonly input: string,
    readonly expected: readonly (number | string)[],
    readonly got: readonly number[],
  ) {
    super(
      'SHAPE_MISMATCH',
      `Input "${input}" expects shape [${expected.join(', ')}], got [${got.join(', ')}]`,
      {
        input,
        expected,
        got,
      },
      { fault: 'caller' },
    );
  }
}

export class DtypeMismatchError extends PolyinferError {
  override readonly name = 'DtypeMismatchError';
  constructor(
    readonly input: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(
      'DTYPE_MISMATCH',
      `Input "${input}" expects dtype ${expected}, got ${got}`,
      { input, expected, got },
      { fault: 'caller' },
    );
  }
}

export class ModelLoadError extends PolyinferError {
  override readonly name = 'ModelLoadError';
  constructor(
    readonly source: string,
    reason: string,
    cause?: unknown,
  ) {
    super('MODEL_LOAD_FAILED', `Cannot load model ${source}: ${reason}`, { source, reason }, { cause });
  }
}

export interface UnsupportedOp {
  opType: string;
  nodeName: string;
  domain: string;
  opset: number;
  /** When the op type is supported but this node's form is not: the attribute (or input) and its value. */
  attribute?: string;
  value?: string | number;
}

export class UnsupportedOpError extends PolyinferError {
  override readonly name = 'UnsupportedOpError';
  constructor(
    readonly backend: string,
    readonly ops: readonly UnsupportedOp[],
    cause?: unknown,
  ) {
    const form = (op: UnsupportedOp): string =>
      op.attribute === undefined ? '' : `, ${op.attribute} = ${JSON.stringify(op.value)}`;
    const where = (op: UnsupportedOp): string => (op.domain && op.domain !== 'ai.onnx' ? `, domain ${op.domain}` : '');
    const node = (op: UnsupportedOp): string => (op.nodeName ? `node "${op.nodeName}"` : 'an unnamed node');
    const list = ops.map((op) => `${op.opType} (${node(op)}${where(op)}, opset ${op.opset}${form(op)})`).join('; ');
    super(
      'UNSUPPORTED_OP',
      `${backend} cannot run ${ops.length} node(s) of this model: ${list}`,
      { backend, ops },
      { cause },
    );
  }
}

/** A tensor of a model (input, output, initializer or a value between nodes) whose element type a backend cannot hold or run. */
export interface UnsupportedDtype {
  tensor: string;
  role: 'input' | 'output' | 'initializer' | 'intermediate';
  dtype: string;
  /** For an intermediate: the node that produces it (or whose attribute holds it). */
  node?: string;
}

export class UnsupportedDtypeError extends PolyinferError {
  override readonly name = 'UnsupportedDtypeError';
  constructor(
    readonly backend: string,
    readonly tensors: readonly UnsupportedDtype[],
    readonly supported: readonly string[],
    cause?: unknown,
  ) {
    const list = tensors
      .map((t) => `${t.role} "${t.tensor}"${t.node ? ` (node "${t.node}")` : ''} is ${t.dtype}`)
      .join('; ');
    super(
      'UNSUPPORTED_DTYPE',
      `${backend} cannot run this model: ${list} (${backend} runs ${supported.join(', ')})`,
      { backend, tensors, supported },
      { cause },
    );
  }
}

export class DeviceUnavailableError extends PolyinferError {
  override readonly name = 'DeviceUnavailableError';
  constructor(
    readonly backend: string,
    readonly device: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(
      'DEVICE_UNAVAILABLE',
      `${backend}:${device} is unavailable: ${reason}`,
      { backend, device, reason },
      { cause },
    );
  }
}

export class UnknownDeviceError extends PolyinferError {
  override readonly name = 'UnknownDeviceError';
  constructor(
    readonly backend: string,
    readonly device: string,
    readonly known: readonly string[],
  ) {
    const message = backend.includes(', ')
      ? `None of the backends (${backend}) has a device "${device}"; their devices are: ${known.join(', ')}`
      : `Backend ${backend} has no device "${device}"; its devices are: ${known.join(', ')}`;
    super('UNKNOWN_DEVICE', message, {
      backend,
      device,
      known,
    });
  }
}

export class BackendUnavailableError extends PolyinferError {
  override readonly name = 'BackendUnavailableError';
  constructor(
    readonly backend: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super('BACKEND_UNAVAILABLE', `Backend ${backend} is unavailable: ${reason}`, { backend, reason }, { cause });
  }
}

export class UnknownBackendError extends PolyinferError {
  override readonly name = 'UnknownBackendError';
  constructor(
    readonly backend: string,
    readonly known: readonly string[],
  ) {
    super('UNKNOWN_BACKEND', `No backend named "${backend}" is registered; registered: ${known.join(', ') || 'none'}`, {
      backend,
      known,
    });
  }
}

/** One backend/device that was tried and skipped: the error code that skipped it, and the reason. */
export interface DeviceAttempt {
  backend: string;
  device: string;
  /** BACKEND_UNAVAILABLE (device "*"), DEVICE_UNAVAILABLE or UNKNOWN_DEVICE. */
  code: string;
  reason: string;
}

export class NoBackendAvailableError extends PolyinferError {
  override readonly name = 'NoBackendAvailableError';
  constructor(readonly attempts: readonly DeviceAttempt[]) {
    const list = attempts.map((a) => `  - ${a.backend}:${a.device}: ${a.reason}`).join('\n');
    super('NO_BACKEND_AVAILABLE', `No backend/device could run the model. Tried:\n${list || '  (nothing)'}`, {
      attempts,
    });
  }
}

export class DisposedError extends PolyinferError {
  override readonly name = 'DisposedError';
  constructor(readonly what: string) {
    super('USE_AFTER_DISPOSE', `${what} was used after dispose()`, { what });
  }
}

export class InferenceError extends PolyinferError {
  override readonly name = 'InferenceError';
  constructor(backend: string, device: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'INFERENCE_FAILED',
      `Inference failed on ${backend}:${device}: ${reason}`,
      { backend, device, reason },
      { cause },
    );
  }
}

/** The caller cancelled (an aborted `RunOptions.signal`). */
export class CancelledError extends PolyinferError {
  override readonly name = 'CancelledError';
  constructor(readonly what: string) {
    super('CANCELLED', `${what} was cancelled`, { what }, { fault: 'caller' });
  }
}

export class ConfigError extends PolyinferError {
  override readonly name = 'ConfigError';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INVALID_CONFIG', message, details, { fault: 'caller' });
  }
}
