import { PolyinferError } from '@polyinfer/core';

/**
 * A message that does not follow the Open Inference Protocol, or a datatype polyinfer cannot hold. Whose fault it
 * is depends on who sent the message: the server answers it as the client's (400), the client as the server's.
 */
export class V2ProtocolError extends PolyinferError<'V2_PROTOCOL'> {
  override readonly name = 'V2ProtocolError';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('V2_PROTOCOL', message, details);
  }
}
