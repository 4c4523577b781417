import { describe, expect, test } from "vitest";
import { boundedMemo } from "@/lib/cache/bounded-memo";

describe("boundedMemo", () => {
  test("computes each key once, forgets everything when full, and never remembers a throw", () => {
    const calls: string[] = [];
    const length = boundedMemo(2, (key: string) => {
      calls.push(key);
      if (key === "bad") throw new Error("bad key");
      return key.length;
    });
    expect([length("a"), length("a"), length("bb"), length("bb")]).toEqual([1, 1, 2, 2]);
    expect(calls).toEqual(["a", "bb"]);
    expect(length("ccc")).toBe(3); // full: forgets a and bb
    expect(length("a")).toBe(1);
    expect(calls).toEqual(["a", "bb", "ccc", "a"]);
    expect(() => length("bad")).toThrow("bad key");
    expect(() => length("bad")).toThrow("bad key");
    expect(calls.filter((key) => key === "bad")).toHaveLength(2);
  });
});
