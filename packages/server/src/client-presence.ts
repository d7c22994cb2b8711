/**
 * Whether a request's client is still there to take the answer. A front end marks it gone (the HTTP socket closed
 * first, the gRPC call was cancelled); the scheduler, while the request waits, takes it out of the queue. Lighter than
 * an AbortController per request, which a server answering thousands a second pays for in garbage collection.
 */
export class ClientPresence {
  #left = false;
  #onLeave: (() => void) | undefined;

  get left(): boolean {
    return this.#left;
  }

  /** The client is gone: calls the listener, once. */
  leave(): void {
    if (this.#left) return;
    this.#left = true;
    const onLeave = this.#onLeave;
    this.#onLeave = undefined;
    onLeave?.();
  }

  /** The one listener (the scheduler's, while the request waits); undefined removes it. */
  onLeave(listener: (() => void) | undefined): void {
    this.#onLeave = listener;
  }

  /** A presence that ends when `signal` aborts (for callers that hold an AbortSignal). */
  static of(signal: AbortSignal): ClientPresence {
    const presence = new ClientPresence();
    if (signal.aborted) presence.leave();
    else signal.addEventListener('abort', () => presence.leave(), { once: true });
    return presence;
  }
}
