import { PolyinferError } from '@polyinfer/core';

/** The error codes @polyinfer/preprocess raises (core's are in CoreErrorCode). */
export type PreprocessErrorCode = 'IMAGE_NOT_FOUND' | 'IMAGE_DECODE_FAILED' | 'IMAGE_SIZE';

/** An image path or URL with nothing there. */
export class ImageNotFoundError extends PolyinferError<'IMAGE_NOT_FOUND'> {
  override readonly name = 'ImageNotFoundError';
  constructor(readonly path: string) {
    super('IMAGE_NOT_FOUND', `Image file not found: ${path}`, { path }, { fault: 'caller' });
  }
}

/** Bytes that do not decode as an image (a PDF is named as one: read it with `ocrDocument` of the documents package). */
export class ImageDecodeError extends PolyinferError<'IMAGE_DECODE_FAILED'> {
  override readonly name = 'ImageDecodeError';
  constructor(
    readonly source: string,
    reason: string,
    cause?: unknown,
  ) {
    super(
      'IMAGE_DECODE_FAILED',
      `Cannot decode image ${source}: ${reason}`,
      { source, reason },
      { cause, fault: 'caller' },
    );
  }
}

/** An image with no pixels, or more than `maxPixels` (100 megapixels by default: decompression bombs). */
export class ImageSizeError extends PolyinferError<'IMAGE_SIZE'> {
  override readonly name = 'ImageSizeError';
  constructor(
    readonly source: string,
    readonly width: number,
    readonly height: number,
    reason: string,
  ) {
    super(
      'IMAGE_SIZE',
      `Image ${source} is ${width}×${height}: ${reason}`,
      { source, width, height, reason },
      { fault: 'caller' },
    );
  }
}
