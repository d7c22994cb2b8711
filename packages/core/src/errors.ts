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

/** A Tensor whose data does not fit its dtype or dims. */
export class InvalidTensorError extends PolyinferError {
  override readonly name = 'InvalidTensorError';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INVALID_TENSOR', message, details, { fault: 'caller' });
  }
}

/** A feed named for an input the model does not have (its inputs listed). */
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

/** A model input with no feed. */
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

/** A feed whose shape does not fit the model's input (fixed and symbolic dims; expected vs got), checked before the runtime sees it. */
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

/** A feed of another dtype than the model's input (expected vs got). */
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

/** A model that cannot be read or parsed (file, URL, empty, corrupt, an invalid graph), with the runtime's own words. */
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

/** Every op of a model a backend cannot run, listed at load with its domain, opset and node: an unknown op type, a node without a kernel, an opset newer than the runtime, or a supported op in a form the backend does not implement (with the attribute and its value). */
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

/** A model with an input or output of a dtype the backend does not run (each tensor named with its dtype, and the dtypes the backend runs), refused at load. */
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

/** A device that cannot run here, with the reason (a chain falls back from it unless strict). */
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

/** A device the backend does not have (its devices listed). */
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

/** A backend whose runtime cannot load here, with the reason. */
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

/** A backend name that is not registered (the registered ones listed). */
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

/** A chain where nothing worked: every attempt with its code and reason. */
export class NoBackendAvailableError extends PolyinferError {
  override readonly name = 'NoBackendAvailableError';
  constructor(readonly attempts: readonly DeviceAttempt[]) {
    const list = attempts.map((a) => `  - ${a.backend}:${a.device}: ${a.reason}`).join('\n');
    super('NO_BACKEND_AVAILABLE', `No backend/device could run the model. Tried:\n${list || '  (nothing)'}`, {
      attempts,
    });
  }
}

/** A disposed session, pipeline or pool used again. */
export class DisposedError extends PolyinferError {
  override readonly name = 'DisposedError';
  constructor(readonly what: string) {
    super('USE_AFTER_DISPOSE', `${what} was used after dispose()`, { what });
  }
}

/** The runtime failing during a run (the node it names, where it names one); the session keeps serving. */
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

/** A bad option, or (strict mode) an option the backend does not honour. */
export class ConfigError extends PolyinferError {
  override readonly name = 'ConfigError';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INVALID_CONFIG', message, details, { fault: 'caller' });
  }
}
