import { PolyinferError } from '@polyinfer/core';

export class ModelNotFoundError extends PolyinferError {
  constructor(readonly file: string, reason: string) {
    super('MODEL_NOT_FOUND', `Model file ${file} not found: ${reason}`, { file, reason });
  }
}

export class IntegrityError extends PolyinferError {
  constructor(
    readonly file: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super('INTEGRITY_MISMATCH', `sha256 mismatch for ${file}: expected ${expected}, got ${got}`, { file, expected, got });
  }
}
