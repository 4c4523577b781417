import { describe, expect, it } from "vitest";
import { decideDelete } from "@/lib/providers/delete-policy";
import { changedFields, snapshot } from "@/lib/providers/audit-diff";
import { parsePrice } from "@/lib/providers/price";

describe("delete policy", () => {
  it("refuses while any key is not revoked, even with history", () => {
    expect(decideDelete({ liveKeys: 1, revokedKeys: 3, hasUsage: true })).toMatchObject({
      outcome: "refuse",
      message: expect.stringMatching(/1 API key that is not revoked/),
    });
    expect(decideDelete({ liveKeys: 2, revokedKeys: 0, hasUsage: false }).message).toMatch(
      /2 API keys that are not revoked/,
    );
  });

  it("archives when only revoked keys or usage refer to it", () => {
    expect(decideDelete({ liveKeys: 0, revokedKeys: 2, hasUsage: false })).toMatchObject({
      outcome: "archive",
      message: expect.stringMatching(/^2 revoked keys still refer/),
    });
    expect(decideDelete({ liveKeys: 0, revokedKeys: 0, hasUsage: true })).toMatchObject({
      outcome: "archive",
      message: expect.stringMatching(/^Recorded usage still refers/),
    });
  });

  it("deletes when nothing refers to it", () => {
    expect(decideDelete({ liveKeys: 0, revokedKeys: 0, hasUsage: false }).outcome).toBe("delete");
  });
});

describe("audit diffs", () => {
  it("lists only changed fields with before and after", () => {
    expect(changedFields({ name: "a", tags: ["x"], region: "" }, { name: "b", tags: ["x"], region: "" })).toEqual({
      name: { before: "a", after: "b" },
    });
    expect(changedFields({ tags: ["x"] }, { tags: ["x", "y"] })).toEqual({
      tags: { before: ["x"], after: ["x", "y"] },
    });
  });

  it("writes decimals and dates as text", () => {
    const price = parsePrice("2.5");
    if (!price.ok) throw new Error("parse failed");
    expect(snapshot({ input: price.value, at: new Date("2026-01-01T00:00:00.000Z") })).toEqual({
      input: "2.5",
      at: "2026-01-01T00:00:00.000Z",
    });
  });
});
