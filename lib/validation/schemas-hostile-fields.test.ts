import { describe, expect, test } from "vitest";
import type { z } from "zod";
import { parseAuditSearchParams } from "@/lib/audit/schemas";
import { parseLatencyParams } from "@/lib/usage/latency-params";
import { parseSpendParams } from "@/lib/usage/spend-params";
import { parseUsageLogParams } from "@/lib/usage/usage-log-params";
import { eachFieldHostile, hostileFieldValues, unstorable } from "@/tests/support/arbitraries";
import { exportedSchemas, UUID, UUID2, VALID_INPUTS as VALID } from "@/tests/support/valid-inputs";

// Every zod schema exported from lib/ (found by walking, so a new one cannot escape), parsed with
// each hostile value in each field of an otherwise valid input: a refinement or transform must
// never throw (zod 4 runs later checks on raw input after a non-aborting issue), and what a
// schema accepts must be storable (no NUL or lone surrogate in text, no NaN, no date PostgreSQL
// refuses). The valid inputs are written out in tests/support/valid-inputs.ts, not derived from the schemas.

// Fields whose text is never stored or queried as text: passwords are only hashed or verified.
const NOT_STORED_AS_TEXT = new Set(["keys/schemas#rebindKeySchema password"]);
// Request bodies forwarded to a provider, not stored as they are: they must not throw, and what
// the gateway stores from them is checked where it is stored.
const FORWARDED = (key: string) => key.startsWith("gateway/");

describe("every exported zod schema with hostile values inside valid input", () => {
  test("each schema has a valid input here, and it parses", async () => {
    const schemas = await exportedSchemas();
    expect(schemas.length).toBeGreaterThanOrEqual(50);
    expect(
      schemas.filter(({ key }) => !(key in VALID)).map(({ key }) => key),
      "schemas without a valid input in this test",
    ).toEqual([]);
    const found = new Set(schemas.map(({ key }) => key));
    expect(
      Object.keys(VALID).filter((key) => !found.has(key)),
      "valid inputs for schemas that no longer exist",
    ).toEqual([]);
    const refused = schemas
      .filter(({ key, schema }) => !schema.safeParse(VALID[key]).success)
      .map(({ key, schema }) => [key, schema.safeParse(VALID[key]).error?.issues]);
    expect(refused, "valid inputs the schema refuses (the sweep would only test the first check)").toEqual([]);
  });

  test("each field × each hostile value: no throw, and accepted output is storable", async () => {
    const problems: string[] = [];
    let tried = 0;
    for (const { key, schema } of await exportedSchemas()) {
      for (const variant of eachFieldHostile(VALID[key])) {
        tried += 1;
        let result: ReturnType<z.ZodType["safeParse"]>;
        try {
          result = schema.safeParse(variant.input);
        } catch (error) {
          problems.push(`${key} ${variant.label}: threw ${String(error)}`);
          continue;
        }
        if (result.success) {
          if (NOT_STORED_AS_TEXT.has(`${key} ${variant.field}`) || FORWARDED(key)) continue;
          for (const problem of unstorable(result.data))
            problems.push(`${key} ${variant.label}: accepted, output ${problem}`);
        } else if (result.error.issues.length === 0) problems.push(`${key} ${variant.label}: failed without an issue`);
      }
    }
    expect(problems).toEqual([]);
    expect(tried).toBeGreaterThan(5000);
  });

  test("the URL-parameter parsers (audit, spend, latency, usage log) take every hostile value in every parameter", () => {
    const now = new Date("2026-11-20T12:00:00Z");
    const parsers: [
      string,
      (search: Record<string, string | string[] | undefined>) => unknown,
      Record<string, string>,
    ][] = [
      [
        "audit",
        parseAuditSearchParams,
        {
          actor: "a@example.test",
          action: "providers.create",
          target: UUID,
          from: "2026-01-01",
          to: "2026-02-01",
          before: "12345",
        },
      ],
      [
        "spend",
        (s) => parseSpendParams(s, now),
        {
          from: "2026-01-01",
          to: "2026-02-01",
          period: "week",
          by: "tag",
          provider: UUID,
          model: UUID2,
          key: UUID,
          tag: "checkout",
          team: UUID2,
          gatewayKey: UUID,
        },
      ],
      [
        "latency",
        (s) => parseLatencyParams(s, now),
        { from: "2026-01-01", to: "2026-01-02", provider: UUID, by: "model", per: "hour", pct: "p99" },
      ],
      [
        "usage log",
        (s) => parseUsageLogParams(s, now),
        { from: "2026-01-01", to: "2026-01-02", provider: UUID, status: "error", source: "ingest" },
      ],
    ];
    const problems: string[] = [];
    const strings = hostileFieldValues().filter((value): value is string => typeof value === "string");
    for (const [name, parse, valid] of parsers) {
      for (const variant of eachFieldHostile(valid, [...strings, ["2026-01-01", "x"]])) {
        try {
          for (const problem of unstorable(parse(variant.input as Record<string, string>)))
            problems.push(`${name} ${variant.label}: ${problem}`);
        } catch (error) {
          problems.push(`${name} ${variant.label}: threw ${String(error)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
