import { PolyinferError } from '@polyinfer/core';

/** A model the quantiser cannot turn into int8 (an operator set it cannot upgrade, a calibration that failed). */
export class QuantizationError extends PolyinferError<'QUANTIZATION_FAILED'> {
  override readonly name = 'QuantizationError';
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super('QUANTIZATION_FAILED', `Cannot quantise the model: ${reason}`, { reason, ...details });
  }
}
