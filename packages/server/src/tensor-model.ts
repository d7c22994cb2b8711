import type { Feeds, Session, Tensor } from '@polyinfer/core';
import type { V2TensorMetadata } from '@polyinfer/v2-protocol';
import { stringTensorFromElements, toV2Datatype } from '@polyinfer/v2-protocol';
import type { ServedModel, WireTensor } from './served-model.js';
import { asCallerError } from './caller-error.js';

const metadataOf = (info: Session['inputs'][number]): V2TensorMetadata => ({
  name: info.name,
  datatype: toV2Datatype(info.dtype),
  shape: info.dims.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)),
});

/** An ONNX model behind a polyinfer session, served as it is: its inputs and outputs are the model's. */
export class TensorModel implements ServedModel {
  readonly version = '1';
  readonly inputs: readonly V2TensorMetadata[];
  readonly outputs: readonly V2TensorMetadata[];
  readonly batchable: boolean;

  constructor(
    readonly name: string,
    private readonly session: Session,
  ) {
    this.inputs = session.inputs.map(metadataOf);
    this.outputs = session.outputs.map(metadataOf);
    this.batchable =
      this.inputs.length > 0 &&
      this.inputs.every((i) => i.shape[0] === -1) &&
      this.outputs.every((o) => o.shape[0] === -1);
  }

  get platform(): string {
    return `polyinfer_${this.session.backend}_${this.session.device}`;
  }

  async infer(inputs: readonly WireTensor[], outputs: readonly string[] | undefined): Promise<WireTensor[]> {
    const feeds: Feeds = {};
    for (const input of inputs) {
      // BYTES elements feed a string input as UTF-8 text (the session refuses them for any other dtype).
      feeds[input.name] =
        'tensor' in input ? input.tensor : asCallerError(() => stringTensorFromElements(input.shape, input.elements));
    }
    // The session checks names, dtypes and shapes and says what is wrong: those become 400s.
    const results = await this.session.run(feeds, outputs ? { outputNames: outputs } : {});
    return Object.entries(results).map(([name, tensor]: [string, Tensor]) => ({
      name,
      datatype: toV2Datatype(tensor.dtype),
      shape: [...tensor.dims],
      tensor,
    }));
  }

  dispose(): Promise<void> {
    return this.session.dispose();
  }
}
