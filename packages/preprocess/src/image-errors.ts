import { PolyinferError } from '@polyinfer/core';

export class ImageNotFoundError extends PolyinferError {
  constructor(readonly path: string) {
    super('IMAGE_NOT_FOUND', `Image file not found: ${path}`, { path });
  }
}

export class ImageDecodeError extends PolyinferError {
  constructor(readonly source: string, reason: string, cause?: unknown) {
    super('IMAGE_DECODE_FAILED', `Cannot decode image ${source}: ${reason}`, { source, reason }, { cause });
  }
}

export class ImageSizeError extends PolyinferError {
  constructor(readonly source: string, readonly width: number, readonly height: number, reason: string) {
    super('IMAGE_SIZE', `Image ${source} is ${width}×${height}: ${reason}`, { source, width, height, reason });
  }
}
