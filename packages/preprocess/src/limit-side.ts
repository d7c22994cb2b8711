export interface LimitSideOptions {
  /** The side length limit. */
  limitSideLen: number;
  /** "max": the longest side is at most the limit (never upscaled); "min": the shortest side is at least the limit. */
  limitType: 'max' | 'min';
  /** Each side is rounded to a multiple of this (DB detection needs 32). */
  multiple: number;
}

export interface TargetSize {
  width: number;
  height: number;
  /** target / original, per axis: multiply an original coordinate by it to land in the resized image. */
  scaleX: number;
  scaleY: number;
}

/** DB-detection sizing: scale by the side limit, then round each side to the nearest multiple (at least one). */
export function limitSideSize(width: number, height: number, options: LimitSideOptions): TargetSize {
  const { limitSideLen, limitType, multiple } = options;
  let ratio = 1;
  if (limitType === 'max' && Math.max(width, height) > limitSideLen) ratio = limitSideLen / Math.max(width, height);
  if (limitType === 'min' && Math.min(width, height) < limitSideLen) ratio = limitSideLen / Math.min(width, height);
  const round = (side: number): number => Math.max(Math.round((side * ratio) / multiple) * multiple, multiple);
  const targetWidth = round(width);
  const targetHeight = round(height);
  return { width: targetWidth, height: targetHeight, scaleX: targetWidth / width, scaleY: targetHeight / height };
}
