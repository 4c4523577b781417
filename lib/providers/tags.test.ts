import { describe, expect, it } from "vitest";
import { formatTags, MAX_TAGS, parseTags } from "@/lib/providers/tags";

describe("tags", () => {
  it("splits, trims, drops empties and case-insensitive duplicates", () => {
    expect(parseTags(" prod , EU,, eu , team  a ,prod")).toEqual({ ok: true, tags: ["prod", "EU", "team a"] });
    expect(parseTags("")).toEqual({ ok: true, tags: [] });
    expect(parseTags(" , ,")).toEqual({ ok: true, tags: [] });
  });

  it("allows 20 tags of 40 characters and no more", () => {
    const twenty = Array.from({ length: MAX_TAGS }, (_, i) => `t${i}`.padEnd(40, "x"));
    expect(parseTags(twenty.join(","))).toEqual({ ok: true, tags: twenty });
    expect(parseTags([...twenty, "one-more"].join(",")).ok).toBe(false);
    expect(parseTags("x".repeat(41)).ok).toBe(false);
  });

  it("counts duplicates once towards the limit", () => {
    const many = Array.from({ length: 30 }, (_, i) => (i % 2 ? "same" : "SAME"));
    expect(parseTags(many.join(","))).toEqual({ ok: true, tags: ["SAME"] });
  });

  it("formats back to the input form", () => {
    expect(formatTags(["a", "b c"])).toBe("a, b c");
  });
});
