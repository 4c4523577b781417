import { describe, expect, test } from "vitest";
import { nextAttemptAt, retryDelayMs, RETRY_WINDOW_MS } from "@/lib/notifications/backoff";

describe("webhook retry backoff", () => {
  test("doubles per attempt, within half to all of the ceiling", () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 1000, () => 0)).toBe(2000);
    expect(retryDelayMs(3, 1000, () => 1)).toBe(4000);
  });

  test("is capped at an hour however many attempts failed", () => {
    expect(retryDelayMs(40, 30_000, () => 1)).toBe(3_600_000);
  });

  test("gives up once the next try would fall past 24 hours after the event", () => {
    const created = new Date("2026-12-01T00:00:00Z");
    expect(nextAttemptAt(2, created, new Date("2026-12-01T01:00:00Z"), 1000, () => 0)).toEqual(
      new Date("2026-12-01T01:00:01Z"),
    );
    expect(nextAttemptAt(20, created, new Date(created.getTime() + RETRY_WINDOW_MS - 1000), 30_000, () => 1)).toBe(
      null,
    );
  });

  test("with 30 s base the attempts span the 24 h window in a few dozen tries", () => {
    const created = new Date(0);
    let now = created;
    let attempts = 0;
    for (;;) {
      attempts += 1;
      const next = nextAttemptAt(attempts, created, now, 30_000, () => 1);
      if (!next) break;
      now = next;
    }
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(40);
  });
});
