import { PolyinferError } from '@polyinfer/core';

/** The error codes @polyinfer/models raises (core's are in CoreErrorCode). */
export type ModelsErrorCode = 'MODEL_NOT_FOUND' | 'INTEGRITY_MISMATCH' | 'MODEL_OUTPUT_MISMATCH';

/** A model file that cannot be located (npm package, path or URL), with why. */
export class ModelNotFoundError extends PolyinferError<'MODEL_NOT_FOUND'> {
  override readonly name = 'ModelNotFoundError';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super('MODEL_NOT_FOUND', `Model file ${file} not found: ${reason}`, { file, reason });
  }
}

/** A model file whose sha256 differs from its descriptor (expected and actual): never used. */
export class IntegrityError extends PolyinferError<'INTEGRITY_MISMATCH'> {
  override readonly name = 'IntegrityError';
  constructor(
    readonly file: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super('INTEGRITY_MISMATCH', `sha256 mismatch for ${file}: expected ${expected}, got ${got}`, {
      file,
      expected,
      got,
    });
  }
}
