import { withHeadroom } from './headroom.js';

/**
 * One byte array reused for pixels that live only until the caller's next step (a resize pass, a warped line on its
 * way into a tensor). A fresh multi-megabyte array is not free: each first write to a new page faults, and on a small
 * VM allocating and touching 400 kB took 1.3 ms in Node — more than the resize pass that fills it. It grows with
 * headroom (see withHeadroom), as Float32BufferPool's buffers do.
 */
export class ScratchBytes {
  #buffer = new Uint8Array(0);

  /** `keepBytes`: above this, `trim` lets the array go, so one large photo does not pin its memory. */
  constructor(private readonly keepBytes = Number.POSITIVE_INFINITY) {}

  /** `length` bytes, as the last user left them. Valid until the next `take`. */
  take(length: number): Uint8Array {
    if (this.#buffer.length < length) this.#buffer = new Uint8Array(withHeadroom(length));
    return this.#buffer.subarray(0, length);
  }

  trim(): void {
    if (this.#buffer.length > this.keepBytes) this.#buffer = new Uint8Array(0);
  }

  /** Bytes held, for tests. */
  get held(): number {
    return this.#buffer.length;
  }
}
