import "server-only";
import { createCallLimiter, type CallLimiter } from "@/lib/provider-clients/call-limiter";

// Bounds the provider calls the playground keeps open in one process. A hung provider holds a
// socket and a stream until its timeout; without a bound, a burst of requests to it would pile up
// open sockets and memory while every other page still has to be served.

const state = globalThis as unknown as { playgroundCallLimiter?: CallLimiter };

/** PLAYGROUND_MAX_IN_FLIGHT (default 16) per process; no waiting: a full house answers 429 at once. */
export const playgroundCallLimiter: CallLimiter = (state.playgroundCallLimiter ??= createCallLimiter(
  Math.max(1, Number(process.env.PLAYGROUND_MAX_IN_FLIGHT ?? 16) || 16),
  0,
  0,
));

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
