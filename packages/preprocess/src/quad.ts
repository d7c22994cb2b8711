/** A point in image pixels (x right, y down). The one point type of polyinfer's geometry. */
export interface Point {
  x: number;
  y: number;
}

/** Four corners, clockwise from the one that becomes the top-left of the output. */
export type Quad = readonly [Point, Point, Point, Point];

/** Applies `f` to each corner, keeping the order. */
export function mapQuad(quad: Quad, f: (p: Point, index: number) => Point): Quad {
  return [f(quad[0], 0), f(quad[1], 1), f(quad[2], 2), f(quad[3], 3)];
}

/** The same corners, starting `quarterTurns` corners later (the quad's content turned by 90° steps). */
export function rotateQuad(quad: Quad, quarterTurns: number): Quad {
  const at = (i: number): Point => quad[(i + quarterTurns) % 4] as Point;
  return [at(0), at(1), at(2), at(3)];
}

/** Corner pairs as `[x, y]` tuples rounded to pixels (the form results are serialised in). */
export type QuadCorners = [[number, number], [number, number], [number, number], [number, number]];

export function quadCorners(quad: Quad): QuadCorners {
  const c = (p: Point): [number, number] => [Math.round(p.x), Math.round(p.y)];
  return [c(quad[0]), c(quad[1]), c(quad[2]), c(quad[3])];
}
