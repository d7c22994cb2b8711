/**
 * The size to allocate for a kept buffer of `bytes`: a quarter more, rounded up to 64 kB, so the next image, a few
 * pixels larger, fits too.
 */
export function withHeadroom(bytes: number): number {
  return Math.ceil((bytes * 1.25) / 65536) * 65536;
}
