/** One 8-connected region of a binary map, kept as the extreme pixels of each of its rows (enough for its hull). */
export interface Component {
  /** Number of pixels. */
  area: number;
  /** [x, y] of the leftmost and rightmost pixel of every row the component touches. */
  rowExtremes: number[];
}

/**
 * Labels the 8-connected regions of `mask` (width×height, non-zero = set), in scan order, stopping after
 * `maxComponents`. Iterative flood fill with a typed stack: no recursion depth limit on large regions.
 */
export function connectedComponents(
  mask: Uint8Array,
  width: number,
  height: number,
  maxComponents = Infinity,
): Component[] {
  const visited = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  const components: Component[] = [];
  const rowMin = new Int32Array(height);
  const rowMax = new Int32Array(height);
  for (let start = 0; start < mask.length && components.length < maxComponents; start++) {
    if (!mask[start] || visited[start]) continue;
    let top = 0;
    stack[top++] = start;
    visited[start] = 1;
    let area = 0;
    let minY = height;
    let maxY = -1;
    while (top > 0) {
      const p = stack[--top] as number;
      const x = p % width;
      const y = (p - x) / width;
      area++;
      if (y < minY) {
        for (let r = y; r < (minY === height ? y + 1 : minY); r++) {
          rowMin[r] = width;
          rowMax[r] = -1;
        }
        minY = y;
      }
      if (y > maxY) {
        for (let r = Math.max(maxY + 1, minY); r <= y; r++) {
          rowMin[r] = width;
          rowMax[r] = -1;
        }
        maxY = y;
      }
      if (x < (rowMin[y] as number)) rowMin[y] = x;
      if (x > (rowMax[y] as number)) rowMax[y] = x;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (mask[q] && !visited[q]) {
            visited[q] = 1;
            stack[top++] = q;
          }
        }
      }
    }
    const rowExtremes: number[] = [];
    for (let r = minY; r <= maxY; r++) {
      if ((rowMax[r] as number) < 0) continue;
      rowExtremes.push(rowMin[r] as number, r, rowMax[r] as number, r);
    }
    components.push({ area, rowExtremes });
  }
  return components;
}
