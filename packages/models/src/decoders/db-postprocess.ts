import type { Decoder, Feeds } from '@polyinfer/core';
import type { Point, Quad } from '@polyinfer/preprocess/portable';
import { mapQuad } from '@polyinfer/preprocess/portable';
import { connectedComponents } from '../geometry/connected-components.js';
import { singleOutput } from './single-output.js';
import { minAreaRect } from '../geometry/min-area-rect.js';
import { meanInPolygon, unclip } from '../geometry/polygon.js';

/** PaddleOCR's documented DB defaults (see shared PPOCR notes). */
export interface DbOptions {
  /** Probability above which a pixel is text. */
  thresh: number;
  /** Minimum mean probability inside a box. */
  boxThresh: number;
  /** How far the shrunk kernel is grown back (area × ratio / perimeter). */
  unclipRatio: number;
  maxCandidates: number;
  /** Boxes with a shorter side (in map pixels) are dropped. */
  minSize: number;
}

export const DB_DEFAULTS: DbOptions = {
  thresh: 0.3,
  boxThresh: 0.6,
  unclipRatio: 1.5,
  maxCandidates: 1000,
  minSize: 3,
};

export interface TextBox {
  /** Corners in the original image: top-left, top-right, bottom-right, bottom-left. */
  quad: Quad;
  /** Mean text probability inside the (unexpanded) box. */
  score: number;
}

export interface ProbabilityMap {
  data: Float32Array;
  width: number;
  height: number;
}

/**
 * DB post-processing: threshold → connected regions → min-area rectangle → score filter → unclip → min-area
 * rectangle again → scale to the original image.
 */
export function dbPostprocess(
  map: ProbabilityMap,
  imageWidth: number,
  imageHeight: number,
  options: Partial<DbOptions> = {},
): TextBox[] {
  const o = { ...DB_DEFAULTS, ...options };
  const { data, width, height } = map;
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = (data[i] as number) > o.thresh ? 1 : 0;

  const boxes: TextBox[] = [];
  const sx = imageWidth / width;
  const sy = imageHeight / height;
  for (const component of connectedComponents(mask, width, height, o.maxCandidates)) {
    const points: Point[] = [];
    for (let i = 0; i < component.rowExtremes.length; i += 2) {
      points.push({ x: component.rowExtremes[i] as number, y: component.rowExtremes[i + 1] as number });
    }
    const kernel = minAreaRect(points);
    if (Math.min(kernel.width, kernel.height) < o.minSize) continue;
    const score = meanInPolygon(data, width, height, kernel.corners);
    if (score < o.boxThresh) continue;
    const grown = unclip(kernel.corners, o.unclipRatio);
    if (grown.length !== 1) continue;
    const box = minAreaRect(grown[0] as Point[]);
    if (Math.min(box.width, box.height) < o.minSize + 2) continue;
    const quad = mapQuad(box.corners, ({ x, y }) => ({
      x: Math.min(Math.max(Math.round(x * sx), 0), imageWidth),
      y: Math.min(Math.max(Math.round(y * sy), 0), imageHeight),
    }));
    boxes.push({ quad, score });
  }
  return boxes;
}

export interface DetectionMeta {
  imageWidth: number;
  imageHeight: number;
}

/** Decodes a DB model's [1, 1, H, W] probability map into text boxes in original image coordinates. */
export class DbDecoder implements Decoder<DetectionMeta, TextBox[]> {
  constructor(private readonly options: Partial<DbOptions> = {}) {}

  decode(outputs: Feeds, meta: DetectionMeta): TextBox[] {
    const map = singleOutput(outputs, 'DB', { ranks: [4], dims: [1, 1], shape: '[1, 1, H, W] probability map' });
    return dbPostprocess(
      { data: map.data, width: map.dims[3] as number, height: map.dims[2] as number },
      meta.imageWidth,
      meta.imageHeight,
      this.options,
    );
  }
}
