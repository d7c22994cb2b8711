import * as tf from '@tensorflow/tfjs-core';
import type { OpKernel } from './op-context.js';
import { attr, input } from './op-context.js';
import { toNchw, toNhwc } from './conv.js';
import { toHost, toTensor } from './value.js';
import type { Value } from './value.js';

/** 2-D Resize/Upsample of NCHW: nearest (asymmetric, floor — tfjs' nearest without half-pixel centres) and linear. */
const resize: OpKernel = (ctx) => {
  const x = toTensor(input(ctx, 0)) as tf.Tensor4D;
  const [, , h, w] = x.shape;
  let outH: number;
  let outW: number;
  const sizesInput = ctx.node.opType === 'Resize' && ctx.opset >= 11 ? ctx.inputs[3] : undefined;
  if (sizesInput !== undefined && toHost(sizesInput).data.length === 4) {
    [, , outH, outW] = toHost(sizesInput).data as [number, number, number, number];
  } else {
    const scalesValue = ctx.node.opType === 'Upsample' && ctx.opset < 9 ? undefined : ctx.inputs[ctx.node.opType === 'Resize' && ctx.opset >= 11 ? 2 : 1];
    const scales = scalesValue === undefined ? attr(ctx, 'scales', [1, 1, 1, 1]) : toHost(scalesValue as Value).data;
    outH = Math.floor(h * (scales[2] as number));
    outW = Math.floor(w * (scales[3] as number));
  }
  const mode = attr(ctx, 'mode', 'nearest');
  const transform = attr(ctx, 'coordinate_transformation_mode', 'half_pixel');
  const xh = toNhwc(x);
  if (mode === 'nearest') {
    const nearest = attr(ctx, 'nearest_mode', 'round_prefer_floor');
    const exact = outH % h === 0 && outW % w === 0;
    if (!exact && (transform !== 'asymmetric' || nearest !== 'floor')) {
      throw new Error(`Resize "${ctx.node.name}": nearest with ${transform}/${nearest} at a non-integer scale is not supported`);
    }
    return [toNchw(tf.image.resizeNearestNeighbor(xh, [outH, outW], false, false))];
  }
  if (mode === 'linear') return [toNchw(tf.image.resizeBilinear(xh, [outH, outW], transform === 'align_corners', transform === 'half_pixel' || transform === 'pytorch_half_pixel'))];
  throw new Error(`Resize "${ctx.node.name}": mode ${mode} is not supported`);
};

export const resizeOps: Record<string, OpKernel> = { Resize: resize, Upsample: resize };
