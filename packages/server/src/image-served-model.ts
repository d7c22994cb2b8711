import type { V2TensorMetadata } from '@polyinfer/v2-protocol';
import type { ServedModel, WireTensor } from './served-model.js';
import { checkImageRequest, IMAGE_INPUT, imageOf } from './image-request.js';

/** A pipeline an image task serves: one encoded image in, its result out. */
export interface ImagePipeline<R> {
  run(image: Buffer): Promise<R>;
  dispose(): Promise<void>;
}

/**
 * A task's whole pipeline as one v2 model: an encoded image (PNG/JPEG/WebP, checked from its signature before it
 * queues) in as BYTES [1], the task's outputs out. A task gives its platform, its outputs and how a result becomes them.
 */
export abstract class ImageServedModel<R> implements ServedModel {
  readonly version = '1';
  readonly batchable = false;
  readonly inputs: readonly V2TensorMetadata[] = [IMAGE_INPUT];
  abstract readonly platform: string;
  abstract readonly outputs: readonly V2TensorMetadata[];

  constructor(
    readonly name: string,
    private readonly pipeline: ImagePipeline<R>,
  ) {}

  protected abstract tensorsOf(result: R): WireTensor[];

  check(inputs: readonly WireTensor[]): void {
    checkImageRequest(this.name, inputs);
  }

  async infer(inputs: readonly WireTensor[], outputs: readonly string[] | undefined): Promise<WireTensor[]> {
    const all = this.tensorsOf(await this.pipeline.run(Buffer.from(imageOf(inputs))));
    return outputs ? all.filter((t) => outputs.includes(t.name)) : all;
  }

  dispose(): Promise<void> {
    return this.pipeline.dispose();
  }
}
