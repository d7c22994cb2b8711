import { describe, expect, it } from 'vitest';
import * as main from '@polyinfer/models';
import * as ocr from '@polyinfer/models/ocr';
import * as detection from '@polyinfer/models/detection';
import * as classification from '@polyinfer/models/classification';

describe('one entry per task', () => {
  it('each task has its own subpath; the OCR one is the same code as the main entry', () => {
    expect(ocr.createOcrPipeline).toBe(main.createOcrPipeline);
    expect(ocr.OcrPipeline).toBe(main.OcrPipeline);
    expect(ocr.OcrWorkerPool).toBe(main.OcrWorkerPool);
    expect(typeof detection.createDetectionPipeline).toBe('function');
    expect(typeof classification.createClassificationPipeline).toBe('function');
  });

  it('the geometry under the DB decoder is internal', () => {
    for (const name of ['connectedComponents', 'convexHull', 'minAreaRect', 'unclip', 'widenQuad'])
      expect(name in main).toBe(false);
  });
});
