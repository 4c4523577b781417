import { describe, expect, it } from "vitest";
import { ingestRecordSchema } from "@/lib/ingest/schemas";

const valid = {
  id: "rec-1",
  occurredAt: "2026-11-20T10:15:00Z",
  provider: "openai",
  model: "gpt-4o",
  inputTokens: 1200,
  cachedInputTokens: 200,
  outputTokens: 300,
  latencyMs: 850,
  status: "ok",
};
const errorsOf = (overrides: Record<string, unknown>) => {
  const parsed = ingestRecordSchema.safeParse({ ...valid, ...overrides });
  return parsed.success
    ? null
    : Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join("."), issue.message]));
};

describe("ingestRecordSchema", () => {
  it("keeps ids exactly as sent, emoji (surrogate pairs) included, and refuses surrounding whitespace", () => {
    expect(ingestRecordSchema.parse({ ...valid, id: "a-😀-b" }).id).toBe("a-😀-b");
    expect(ingestRecordSchema.parse({ ...valid, id: "a b" }).id).toBe("a b");
    expect(errorsOf({ id: "a " })?.id).toMatch(/whitespace/);
    expect(errorsOf({ id: "\ta" })?.id).toMatch(/whitespace/);
    expect(errorsOf({ id: "" })?.id).toMatch(/empty/);
  });

  it("refuses NUL and lone surrogates in every text field, so no two ids become one and no statement fails", () => {
    for (const field of ["id", "provider", "model", "tag"]) {
      expect(errorsOf({ [field]: "x\u0000y" })?.[field], field).toMatch(/NUL/);
      expect(errorsOf({ [field]: "x\uD800" })?.[field], field).toMatch(/well-formed Unicode/);
      expect(errorsOf({ [field]: "\uDC00x" })?.[field], field).toMatch(/well-formed Unicode/);
    }
  });

  it("takes occurredAt from 1970-01-01T00:00:00Z to five minutes ahead, as a full timestamp with a zone", () => {
    expect(ingestRecordSchema.parse({ ...valid, occurredAt: "1970-01-01T00:00:00Z" }).occurredAt.toISOString()).toBe(
      "1970-01-01T00:00:00.000Z",
    );
    expect(
      ingestRecordSchema.parse({ ...valid, occurredAt: "2026-11-20T12:15:00+02:00" }).occurredAt.toISOString(),
    ).toBe("2026-11-20T10:15:00.000Z");
    expect(errorsOf({ occurredAt: "1969-12-31T23:59:59.999Z" })?.occurredAt).toMatch(/before 1970/);
    expect(errorsOf({ occurredAt: "0000-01-01T00:00:00Z" })?.occurredAt).toMatch(/before 1970/);
    expect(errorsOf({ occurredAt: new Date(Date.now() + 10 * 60_000).toISOString() })?.occurredAt).toMatch(/future/);
    for (const partial of [
      "2026-11-20",
      "2026-11-20T10:15:00",
      "2026-11-20 10:15:00Z",
      "2026-02-30T00:00:00Z",
      "yesterday",
    ]) {
      expect(errorsOf({ occurredAt: partial })?.occurredAt, partial).toMatch(/ISO 8601/);
    }
  });

  it("reports cachedInputTokens > inputTokens, and does not throw when either failed on its own", () => {
    expect(errorsOf({ cachedInputTokens: 1201 })?.cachedInputTokens).toMatch(/cannot exceed/);
    expect(errorsOf({ inputTokens: "12", cachedInputTokens: 5 })?.inputTokens).toBeDefined();
    expect(errorsOf({ inputTokens: -1, cachedInputTokens: "x", occurredAt: "2026-11-20" })).toMatchObject({
      inputTokens: expect.any(String),
      cachedInputTokens: expect.any(String),
      occurredAt: expect.any(String),
    });
    expect(errorsOf({ inputTokens: 2_147_483_648 })?.inputTokens).toMatch(/too large/);
  });
});
