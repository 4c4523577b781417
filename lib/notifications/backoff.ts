// Retry timing for webhook deliveries: exponential backoff with full jitter (the delay before try
// n+1 is uniform in [base·2^(n-1)/2, base·2^(n-1)], capped), giving up once the event is older than
// the retry window. Pure.

export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 60 * 60 * 1000;

/** Milliseconds to wait after failed attempt number `attempt` (1-based). */
export function retryDelayMs(
  attempt: number,
  baseMs = DEFAULT_BASE_DELAY_MS,
  random: () => number = Math.random,
  maxMs = MAX_DELAY_MS,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  // Half fixed, half jitter: spreads retries of many events without ever retrying at once.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** When the next attempt is due, or null to give up (past the window since the event was written). */
export function nextAttemptAt(
  attempt: number,
  eventCreatedAt: Date,
  now: Date,
  baseMs = DEFAULT_BASE_DELAY_MS,
  random: () => number = Math.random,
  windowMs = RETRY_WINDOW_MS,
): Date | null {
  const due = new Date(now.getTime() + retryDelayMs(attempt, baseMs, random));
  return due.getTime() - eventCreatedAt.getTime() > windowMs ? null : due;
}
