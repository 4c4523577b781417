import { describe, expect, it } from "vitest";
import { auditHref, dayRange, parseAuditSearchParams } from "@/lib/audit/schemas";

describe("parseAuditSearchParams", () => {
  it("keeps valid filters", () => {
    const { filters, ignored } = parseAuditSearchParams({
      actor: " Admin@Example.test ",
      action: "user.role_changed",
      target: "5f0c6c9e-0000-4000-8000-000000000000",
      from: "2026-11-01",
      to: "2026-11-30",
      before: "1234",
    });
    expect(ignored).toEqual([]);
    expect(filters).toEqual({
      actor: "Admin@Example.test",
      action: "user.role_changed",
      target: "5f0c6c9e-0000-4000-8000-000000000000",
      from: "2026-11-01",
      to: "2026-11-30",
      before: 1234n,
    });
  });

  it("treats empty parameters (an empty form field) as absent", () => {
    expect(parseAuditSearchParams({ actor: "", action: "  ", from: "" })).toEqual({ filters: {}, ignored: [] });
  });

  it("drops each bad parameter and names it, keeping the rest", () => {
    const { filters, ignored } = parseAuditSearchParams({
      action: "<script>alert(1)</script>",
      from: "2026-02-30",
      to: "yesterday",
      before: "-5",
      actor: "ok@example.test",
    });
    expect(filters).toEqual({ actor: "ok@example.test" });
    expect(ignored).toEqual(["action", "from date", "to date", "page position"]);
  });

  it("refuses a cursor beyond PostgreSQL's bigint and huge values", () => {
    expect(parseAuditSearchParams({ before: "9223372036854775808" }).ignored).toEqual(["page position"]);
    expect(parseAuditSearchParams({ before: "9223372036854775807" }).filters.before).toBe(9223372036854775807n);
    expect(parseAuditSearchParams({ actor: "x".repeat(300), target: "y".repeat(300) }).ignored).toEqual([
      "actor",
      "target",
    ]);
  });

  it("uses the first of repeated parameters", () => {
    expect(parseAuditSearchParams({ action: ["user.created", "user.disabled"] }).filters).toEqual({
      action: "user.created",
    });
  });

  it("drops a to-date before the from-date", () => {
    expect(parseAuditSearchParams({ from: "2026-11-10", to: "2026-11-01" })).toEqual({
      filters: { from: "2026-11-10" },
      ignored: ["to date"],
    });
  });
});

describe("dayRange", () => {
  it("spans whole UTC days, the to-day included", () => {
    expect(dayRange({ from: "2026-11-01", to: "2026-11-01" })).toEqual({
      gte: new Date("2026-11-01T00:00:00Z"),
      lt: new Date("2026-11-02T00:00:00Z"),
    });
    expect(dayRange({})).toEqual({});
  });
});

describe("auditHref", () => {
  it("keeps the filters and changes only what is asked", () => {
    const filters = { action: "user.created", actor: "a@b.test", before: 99n };
    expect(auditHref(filters)).toBe("/audit?actor=a%40b.test&action=user.created&before=99");
    expect(auditHref(filters, { before: "42" })).toBe("/audit?actor=a%40b.test&action=user.created&before=42");
    expect(auditHref(filters, { before: undefined, actor: undefined })).toBe("/audit?action=user.created");
    expect(auditHref({})).toBe("/audit");
  });
});
