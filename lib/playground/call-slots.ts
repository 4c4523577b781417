import "server-only";

// Bounds the provider calls the playground keeps open in one process. A hung provider holds a
// socket and a stream until its timeout; without a bound, a burst of requests to it would pile up
// open sockets and memory while every other page still has to be served.

const MAX_IN_FLIGHT = Math.max(1, Number(process.env.PLAYGROUND_MAX_IN_FLIGHT ?? 16));
const state = globalThis as unknown as { playgroundInFlight?: number };

/** A release function when a slot is free (call it exactly once, extra calls are ignored); null when all are taken. */
export function tryAcquireCallSlot(): (() => void) | null {
  const inFlight = state.playgroundInFlight ?? 0;
  if (inFlight >= MAX_IN_FLIGHT) return null;
  state.playgroundInFlight = inFlight + 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    state.playgroundInFlight = Math.max(0, (state.playgroundInFlight ?? 1) - 1);
  };
}

/** Passes `inner` through and releases the slot when it ends, fails or the client cancels. */
export function releaseWhenDone(inner: ReadableStream<Uint8Array>, release: () => void): ReadableStream<Uint8Array> {
  const reader = inner.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
}
