// A process-wide bound on the provider calls the console itself makes (key and model tests, Test
// all, scheduled health checks, the playground). Each call holds a socket, a stream and a key in
// memory until the provider answers or its timeout fires, so a hung provider plus a burst of test
// clicks must not pile up without limit. Callers wait briefly for a slot; past the wait, or when
// too many already wait, they get null and report "busy" instead of queueing forever.
import { DomainError } from "@/lib/errors/domain-error";

export const BUSY_MESSAGE =
  "This console instance already has its maximum of provider calls in progress (a provider may be hanging). Try again in a moment.";

export type CallLimiter = {
  /** A release function (idempotent), or null when no slot came free in time. */
  acquire(waitMs?: number): Promise<(() => void) | null>;
  readonly inFlight: number;
  readonly waiting: number;
};

export function createCallLimiter(maxInFlight: number, maxWaiting: number, defaultWaitMs: number): CallLimiter {
  let inFlight = 0;
  const waiters: (() => void)[] = [];

  const release = () => {
    const next = waiters.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else inFlight -= 1;
  };
  const once = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };

  return {
    get inFlight() {
      return inFlight;
    },
    get waiting() {
      return waiters.length;
    },
    async acquire(waitMs = defaultWaitMs) {
      if (inFlight < maxInFlight) {
        inFlight += 1;
        return once();
      }
      if (waiters.length >= maxWaiting || waitMs <= 0) return null;
      return new Promise((resolve) => {
        const waiter = () => {
          clearTimeout(timer);
          resolve(once());
        };
        const timer = setTimeout(() => {
          const index = waiters.indexOf(waiter);
          if (index >= 0) waiters.splice(index, 1);
          resolve(null);
        }, waitMs);
        waiters.push(waiter);
      });
    },
  };
}

const state = globalThis as unknown as { providerCallLimiter?: CallLimiter };

/** The process's limiter: PROVIDER_CALLS_MAX_IN_FLIGHT (default 32) calls, up to 64 waiting 15 s. */
export const providerCallLimiter: CallLimiter = (state.providerCallLimiter ??= createCallLimiter(
  Math.max(1, Number(process.env.PROVIDER_CALLS_MAX_IN_FLIGHT ?? 32) || 32),
  64,
  15_000,
));

/** Runs one provider request holding a slot; a DomainError (UNAVAILABLE, BUSY_MESSAGE) when none came free. */
export async function withCallSlot<T>(work: () => Promise<T>): Promise<T> {
  const release = await providerCallLimiter.acquire();
  if (!release) throw new DomainError("UNAVAILABLE", BUSY_MESSAGE);
  try {
    return await work();
  } finally {
    release();
  }
}
