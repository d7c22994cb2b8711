import type { V2TensorMetadata, WireTensor } from '@polyinfer/v2-protocol';

export type { WireTensor };

/** A model the server answers for: its v2 metadata and how one (possibly merged) request is computed. */
export interface ServedModel {
  readonly name: string;
  readonly version: string;
  readonly platform: string;
  /** Every input the model takes; a request must give each exactly once, of this datatype and shape (-1: any). */
  readonly inputs: readonly V2TensorMetadata[];
  readonly outputs: readonly V2TensorMetadata[];
  /** Requests can be merged along the first dimension (every input's and output's first dimension is dynamic). */
  readonly batchable: boolean;
  /** Checks what only the model knows (e.g. an image's format) before the request may queue; throws a 4xx error. */
  check?(inputs: readonly WireTensor[]): void;
  /**
   * Runs one (possibly merged) request. The server has validated it against `inputs` and `outputs` (each input once,
   * datatype and shape; outputs known) and run `check`: a model does not repeat those checks.
   */
  infer(inputs: readonly WireTensor[], outputs: readonly string[] | undefined): Promise<WireTensor[]>;
  dispose(): Promise<void>;
}
