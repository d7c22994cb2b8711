import type { Point, Quad } from '@polyinfer/preprocess/portable';

/** Widens a reading-order quad along its text direction by `margin` × its height on each side. */
export function widenQuad(quad: Quad, margin: number): Quad {
  const [tl, tr, br, bl] = quad;
  const height = (Math.hypot(bl.x - tl.x, bl.y - tl.y) + Math.hypot(br.x - tr.x, br.y - tr.y)) / 2;
  const push = (from: Point, to: Point): { dx: number; dy: number } => {
    const length = Math.hypot(to.x - from.x, to.y - from.y) || 1;
    return { dx: ((to.x - from.x) / length) * margin * height, dy: ((to.y - from.y) / length) * margin * height };
  };
  const top = push(tl, tr);
  const bottom = push(bl, br);
  return [
    { x: tl.x - top.dx, y: tl.y - top.dy },
    { x: tr.x + top.dx, y: tr.y + top.dy },
    { x: br.x + bottom.dx, y: br.y + bottom.dy },
    { x: bl.x - bottom.dx, y: bl.y - bottom.dy },
  ];
}
