import { describe, expect, test } from "vitest";

import { backoffDelay, isRetryableStatus, parseRetryAfter, retryDelay, sleep } from "@/lib/provider-clients/retry";

const policy = { baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 20_000 };

describe("isRetryableStatus", () => {
  test("429 and 5xx are retried, other statuses never", () => {
    for (const status of [429, 500, 502, 503, 504, 529]) expect(isRetryableStatus(status)).toBe(true);
    for (const status of [200, 400, 401, 403, 404, 408, 409, 422]) expect(isRetryableStatus(status)).toBe(false);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");

  test("reads delta-seconds, HTTP dates and retry-after-ms", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "3" }), now)).toBe(3000);
    expect(parseRetryAfter(new Headers({ "retry-after": "1.5" }), now)).toBe(1500);
    expect(parseRetryAfter(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:10 GMT" }), now)).toBe(10_000);
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
  });

  test("a date in the past means now; absent or garbage means unknown", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }), now)).toBe(0);
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ "retry-after": "-5" }), now)).toBeUndefined();
  });
});

describe("backoff", () => {
  test("full jitter stays within [0, min(max, base·2^attempt))", () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(0);
    expect(backoffDelay(0, policy, () => 0.999)).toBeLessThan(500);
    expect(backoffDelay(2, policy, () => 0.999)).toBeLessThan(2000);
    expect(backoffDelay(2, policy, () => 0.999)).toBeGreaterThanOrEqual(1990);
    expect(backoffDelay(10, policy, () => 0.999)).toBeLessThan(8000);
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const delay = backoffDelay(attempt, policy);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(8000, 500 * 2 ** attempt));
    }
  });

  test("Retry-After wins over backoff and is capped", () => {
    expect(retryDelay(new Headers({ "retry-after": "2" }), 0, policy, () => 0)).toBe(2000);
    expect(retryDelay(new Headers({ "retry-after": "3600" }), 0, policy)).toBe(20_000);
    expect(retryDelay(new Headers(), 1, policy, () => 0.5)).toBe(500);
  });

  test("sleep ends early when the signal aborts", async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error("stop")), 10);
    await expect(sleep(5_000, controller.signal)).rejects.toThrow("stop");
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
