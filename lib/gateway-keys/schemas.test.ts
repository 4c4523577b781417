import { describe, expect, test } from "vitest";
import {
  createGatewayKeySchema,
  createTeamSchema,
  revokeGatewayKeySchema,
  rotateGatewayKeySchema,
} from "@/lib/gateway-keys/schemas";

const UUID = "6f1c2b9e-3d4a-4b5c-8d7e-9f0a1b2c3d4e";
const base = { name: "checkout", teamId: UUID };
const errorsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));

describe("team", () => {
  test("a budget is kept as text with two places; empty means none", () => {
    expect(createTeamSchema.parse({ name: " Search ", monthlyBudgetUsd: "250" })).toEqual({
      name: "Search",
      description: "",
      monthlyBudgetUsd: "250.00",
    });
    expect(createTeamSchema.parse({ name: "A", monthlyBudgetUsd: "99.5" }).monthlyBudgetUsd).toBe("99.5");
    expect(createTeamSchema.parse({ name: "A", monthlyBudgetUsd: "" }).monthlyBudgetUsd).toBeNull();
  });

  test.each(["0", "0.00", "1.234", "-5", "1e3", "1234567890123"])("budget %j is refused", (monthlyBudgetUsd) => {
    expect(errorsOf(createTeamSchema.safeParse({ name: "A", monthlyBudgetUsd }))).toHaveProperty("monthlyBudgetUsd");
  });
});

describe("gateway key", () => {
  test("empty optional fields mean: every model, no limits, no expiry, any address", () => {
    expect(
      createGatewayKeySchema.parse({
        ...base,
        allowedModels: "",
        monthlyBudgetUsd: "",
        rpmLimit: "",
        tpmLimit: "",
        maxParallel: "",
        expiresAt: "",
        allowedIps: "",
      }),
    ).toEqual({
      ...base,
      allowedModels: [],
      monthlyBudgetUsd: null,
      rpmLimit: null,
      tpmLimit: null,
      maxParallel: null,
      expiresAt: null,
      allowedIps: [],
    });
  });

  test("lists split on lines and commas, de-duplicated; address ranges canonical", () => {
    const parsed = createGatewayKeySchema.parse({
      ...base,
      allowedModels: "openai/gpt-4o\ngpt-4o-mini, openai/gpt-4o",
      allowedIps: "10.0.0.0/8\n2001:DB8::/32, 203.0.113.9",
      rpmLimit: "600",
      expiresAt: "2099-01-31",
    });
    expect(parsed.allowedModels).toEqual(["openai/gpt-4o", "gpt-4o-mini"]);
    expect(parsed.allowedIps).toEqual(["10.0.0.0/8", "2001:db8::/32", "203.0.113.9/32"]);
    expect(parsed.rpmLimit).toBe(600);
    expect(parsed.expiresAt).toEqual(new Date("2099-01-31T23:59:59.999Z"));
  });

  test("bad limits, a past expiry and a bad range are field errors on their own fields", () => {
    const errors = errorsOf(
      createGatewayKeySchema.safeParse({
        ...base,
        rpmLimit: "0",
        tpmLimit: "1.5",
        maxParallel: "lots",
        expiresAt: "2020-01-01",
        allowedIps: "10.0.0.1/8",
      }),
    );
    expect(Object.keys(errors).sort()).toEqual(["allowedIps", "expiresAt", "maxParallel", "rpmLimit", "tpmLimit"]);
    expect(errors.expiresAt).toMatch(/future/);
    expect(errors.allowedIps).toMatch(/10\.0\.0\.0\/8/);
  });

  test("revoking needs the confirmation box", () => {
    expect(revokeGatewayKeySchema.safeParse({ gatewayKeyId: UUID }).success).toBe(false);
    expect(revokeGatewayKeySchema.safeParse({ gatewayKeyId: UUID, confirm: "on" }).success).toBe(true);
  });
});

describe("rotation grace", () => {
  test.each([
    ["none", undefined, 0],
    ["1h", undefined, 60],
    ["24h", "", 1440],
    ["7d", undefined, 10080],
    ["custom", "90", 90],
  ])("%s (%j minutes) is %i minutes", (grace, graceMinutes, minutes) => {
    expect(rotateGatewayKeySchema.parse({ gatewayKeyId: UUID, grace, graceMinutes })).toEqual({
      gatewayKeyId: UUID,
      graceMinutes: minutes,
    });
  });

  test("custom without minutes, or beyond 30 days, is a field error on the minutes", () => {
    expect(errorsOf(rotateGatewayKeySchema.safeParse({ gatewayKeyId: UUID, grace: "custom" }))).toHaveProperty(
      "graceMinutes",
    );
    expect(
      errorsOf(rotateGatewayKeySchema.safeParse({ gatewayKeyId: UUID, grace: "custom", graceMinutes: "43201" })),
    ).toHaveProperty("graceMinutes");
    expect(errorsOf(rotateGatewayKeySchema.safeParse({ gatewayKeyId: UUID, grace: "" }))).toHaveProperty("grace");
  });
});
