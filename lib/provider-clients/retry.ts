// Pure retry arithmetic: which answers are worth retrying, how long to wait, and how to read
// Retry-After. Kept apart from the fetch wrapper so the bounds are unit-tested.

export type RetryPolicy = {
  // First backoff ceiling; doubles per attempt (full jitter picks uniformly below it).
  baseDelayMs: number;
  maxDelayMs: number;
  // A provider asking us to wait longer than this is waited for only this long.
  maxRetryAfterMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 20_000 };

// 429 and 5xx may succeed later; any other 4xx will fail the same way again. Anthropic's 529
// "overloaded" is covered by the 5xx range.
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

// Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). OpenAI also sends
// `retry-after-ms`. Returns milliseconds, or undefined when absent or unreadable.
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const milliseconds = headers.get("retry-after-ms");
  if (milliseconds && /^\d+(\.\d+)?$/.test(milliseconds.trim())) return Math.max(0, Number(milliseconds));
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.max(0, Number(value) * 1000);
  // HTTP dates have a weekday and month name; this keeps Date.parse from reading "-5" as a year.
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

// Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and
// Jitter"): spreads retries of many concurrent test calls instead of synchronising them.
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export function retryDelay(
  headers: Headers,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const requested = parseRetryAfter(headers);
  if (requested !== undefined) return Math.min(requested, policy.maxRetryAfterMs);
  return backoffDelay(attempt, policy, random);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
