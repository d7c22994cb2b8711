import { withHeadroom } from './headroom.js';

/**
 * Float32 buffers for input tensors, taken back once a run is done with them. A fresh multi-megabyte typed array is
 * not free: the engine hands out new zeroed pages and the first write to each faults (measured in a Chromium worker:
 * allocating and filling a 1.9 MB Float32Array took 6.5 ms, filling a kept one 0.7 ms), and in Node it feeds the
 * garbage collector. Views are handed out over buffers a little larger than asked, so the next image, a few pixels
 * wider, fits too.
 */
export class Float32BufferPool {
  readonly #free: ArrayBuffer[] = [];
  readonly #issued = new WeakSet<ArrayBuffer>();

  /** `keep`: how many free buffers are kept (the largest), at most. */
  constructor(private readonly keep = 2) {}

  /** A view of `length` floats, zero-filled when `zeroed` (padding relies on it), otherwise as the last user left it. */
  take(length: number, zeroed = false): Float32Array {
    const bytes = length * Float32Array.BYTES_PER_ELEMENT;
    // The smallest that fits, and not one many times too large (a small input would pin memory it does not need).
    const largest = Math.max(bytes * 4, 1 << 20);
    let best = -1;
    this.#free.forEach((buffer, i) => {
      if (
        buffer.byteLength >= bytes &&
        buffer.byteLength <= largest &&
        (best < 0 || buffer.byteLength < (this.#free[best] as ArrayBuffer).byteLength)
      )
        best = i;
    });
    if (best < 0) {
      const buffer = new ArrayBuffer(withHeadroom(bytes));
      this.#issued.add(buffer);
      return new Float32Array(buffer, 0, length);
    }
    const [buffer] = this.#free.splice(best, 1) as [ArrayBuffer];
    const view = new Float32Array(buffer, 0, length);
    if (zeroed) view.fill(0);
    return view;
  }

  /** Hands a view from `take` back (anything else is ignored): its buffer may be handed out again. */
  give(view: ArrayBufferView): void {
    const buffer = view.buffer;
    if (!(buffer instanceof ArrayBuffer) || !this.#issued.has(buffer) || this.#free.includes(buffer)) return;
    this.#free.push(buffer);
    if (this.#free.length > this.keep) {
      this.#free.sort((a, b) => b.byteLength - a.byteLength);
      this.#free.length = this.keep;
    }
  }

  /** Free buffers held, for tests. */
  get held(): number {
    return this.#free.length;
  }
}
