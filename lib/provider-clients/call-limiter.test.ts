import { describe, expect, test } from "vitest";
import { createCallLimiter } from "./call-limiter";

describe("createCallLimiter", () => {
  test("admits up to the bound, hands a released slot to the next waiter, in order", async () => {
    const limiter = createCallLimiter(2, 10, 1_000);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    expect(a && b).toBeTruthy();
    expect(limiter.inFlight).toBe(2);
    const order: string[] = [];
    const c = limiter.acquire().then((release) => (order.push("c"), release));
    const d = limiter.acquire().then((release) => (order.push("d"), release));
    expect(limiter.waiting).toBe(2);
    a!();
    a!(); // a second release of the same slot is ignored
    const releaseC = await c;
    expect(releaseC).toBeTypeOf("function");
    expect(limiter.inFlight).toBe(2);
    expect(limiter.waiting).toBe(1);
    b!();
    expect(await d).toBeTypeOf("function");
    expect(order).toEqual(["c", "d"]);
    releaseC!();
    (await d)!();
    expect(limiter.inFlight).toBe(0);
  });

  test("a waiter gives up after its wait and never takes a slot afterwards", async () => {
    const limiter = createCallLimiter(1, 10, 1_000);
    const held = await limiter.acquire();
    expect(await limiter.acquire(20)).toBeNull();
    expect(limiter.waiting).toBe(0);
    held!();
    expect(limiter.inFlight).toBe(0);
  });

  test("refuses at once when the queue is full or no wait is allowed", async () => {
    const limiter = createCallLimiter(1, 1, 1_000);
    const held = await limiter.acquire();
    const queued = limiter.acquire();
    expect(await limiter.acquire()).toBeNull();
    expect(await limiter.acquire(0)).toBeNull();
    held!();
    (await queued)!();
    expect(limiter.inFlight).toBe(0);
  });
});
