import { describe, expect, it } from "vitest";
import {
  canonicalMoney,
  rollbackConfigSchema,
  saveConfigSchema,
  snapshotFromStored,
  snapshotOf,
  storedValuesOf,
} from "@/lib/config/schemas";
import { EMPTY_SNAPSHOT } from "@/lib/config/fields";

const providerId = "7d9f0c52-3a43-4d0e-9a57-0c1f3e1b2a10";

describe("saveConfigSchema", () => {
  it("parses form strings, empty meaning not set", () => {
    const parsed = saveConfigSchema.parse({
      providerId,
      modelId: "",
      baseVersion: "3",
      temperature: " 0.7 ",
      retries: "0",
      timeoutMs: "",
      monthlyBudgetUsd: "$1250.5",
    });
    expect(parsed.modelId).toBeNull();
    expect(parsed.baseVersion).toBe(3);
    expect(snapshotOf(parsed)).toEqual({
      ...EMPTY_SNAPSHOT,
      temperature: 0.7,
      retries: 0,
      monthlyBudgetUsd: "1250.50",
    });
  });

  it("names each bad field instead of throwing", () => {
    const result = saveConfigSchema.safeParse({
      providerId: "nope",
      baseVersion: "x",
      temperature: "warm",
      retries: "1.5",
      monthlyBudgetUsd: "-3",
      comment: "c".repeat(501),
    });
    expect(result.success).toBe(false);
    const fields = new Set(result.error?.issues.map((issue) => issue.path.join(".")));
    expect(fields).toEqual(
      new Set(["providerId", "baseVersion", "temperature", "retries", "monthlyBudgetUsd", "comment"]),
    );
  });

  it("refuses exponents, infinities and budgets of zero", () => {
    expect(saveConfigSchema.safeParse({ providerId, baseVersion: 0, maxOutputTokens: "1e9" }).success).toBe(false);
    expect(
      saveConfigSchema.safeParse({ providerId, baseVersion: 0, temperature: Number.POSITIVE_INFINITY }).success,
    ).toBe(false);
    expect(saveConfigSchema.safeParse({ providerId, baseVersion: 0, monthlyBudgetUsd: "0.00" }).success).toBe(false);
  });

  it("survives inputs of the wrong type", () => {
    for (const input of [null, 42, "text", [], { providerId, baseVersion: 0, temperature: { $gt: 1 } }]) {
      expect(saveConfigSchema.safeParse(input).success).toBe(false);
    }
  });
});

describe("rollbackConfigSchema", () => {
  it("needs a version of at least 1", () => {
    expect(rollbackConfigSchema.safeParse({ providerId, baseVersion: "2", version: "0" }).success).toBe(false);
    expect(rollbackConfigSchema.parse({ providerId, baseVersion: "2", version: "1" })).toMatchObject({
      version: 1,
      baseVersion: 2,
      modelId: null,
      comment: "",
    });
  });
});

describe("money", () => {
  it("canonicalises to two decimals without floats", () => {
    expect(canonicalMoney("0010")).toBe("10.00");
    expect(canonicalMoney("0.1")).toBe("0.10");
    expect(canonicalMoney("999999999999.99")).toBe("999999999999.99");
    expect(canonicalMoney("1.005")).toBeNull();
    expect(canonicalMoney("1,000")).toBeNull();
    expect(canonicalMoney("1000000000000")).toBeNull();
  });
});

describe("stored values", () => {
  it("round-trips a snapshot and reads broken values as not set", () => {
    const snapshot = { ...EMPTY_SNAPSHOT, topP: 0.5, requestsPerMinute: 10, monthlyBudgetUsd: "3.00" };
    expect(snapshotFromStored(storedValuesOf(snapshot), "3.00")).toEqual(snapshot);
    expect(snapshotFromStored({ topP: "0.5", retries: 2, extra: true }, null)).toEqual({
      ...EMPTY_SNAPSHOT,
      retries: 2,
    });
    expect(snapshotFromStored("garbage", null)).toEqual(EMPTY_SNAPSHOT);
  });
});
