import { describe, expect, test } from "vitest";
import { forEachWithConcurrency, maxOverlap } from "@/lib/health-checks/pool";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("forEachWithConcurrency", () => {
  test("never runs more than the limit at once and processes every item", async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachWithConcurrency([...Array(11).keys()], 4, async (item) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await wait(5 + (item % 3) * 5);
      seen.push(item);
      inFlight -= 1;
    });
    expect(peak).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(11).keys()]);
  });

  test("a failing item does not stop the others, and its error is reported at the end", async () => {
    const seen: number[] = [];
    await expect(
      forEachWithConcurrency([1, 2, 3], 2, async (item) => {
        if (item === 1) throw new Error("boom");
        seen.push(item);
      }),
    ).rejects.toThrow("boom");
    expect(seen).toEqual([2, 3]);
  });

  test("an empty list resolves and a bad limit is refused", async () => {
    await expect(forEachWithConcurrency([], 4, async () => undefined)).resolves.toBeUndefined();
    await expect(forEachWithConcurrency([1], 0, async () => undefined)).rejects.toThrow(RangeError);
  });
});

describe("maxOverlap", () => {
  test("counts simultaneous intervals; touching ones do not overlap", () => {
    expect(maxOverlap([])).toBe(0);
    expect(
      maxOverlap([
        { start: 0, end: 10 },
        { start: 10, end: 20 },
      ]),
    ).toBe(1);
    expect(
      maxOverlap([
        { start: 0, end: 10 },
        { start: 5, end: 20 },
        { start: 6, end: 7 },
      ]),
    ).toBe(3);
  });
});
