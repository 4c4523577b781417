import { describe, expect, it } from "vitest";
import { changedFieldNames, changesForAudit, diffConfig } from "@/lib/config/diff";
import { EMPTY_SNAPSHOT, type ConfigSnapshot } from "@/lib/config/fields";

const snapshot = (values: Partial<ConfigSnapshot>): ConfigSnapshot => ({ ...EMPTY_SNAPSHOT, ...values });

describe("diffConfig", () => {
  it("lists only the fields whose values differ, as old → new", () => {
    const changes = diffConfig(
      snapshot({ temperature: 0.7, retries: 2 }),
      snapshot({ temperature: 1, retries: 2, timeoutMs: 30_000 }),
    );
    expect(changes.map(({ field, beforeText, afterText }) => [field, beforeText, afterText])).toEqual([
      ["temperature", "0.7", "1"],
      ["timeoutMs", "not set", "30,000 ms"],
    ]);
  });

  it("treats a first version as changes from nothing, listing only the fields it sets", () => {
    const changes = diffConfig(null, snapshot({ maxOutputTokens: 512, monthlyBudgetUsd: "250.00" }));
    expect(changes.map((change) => change.field)).toEqual(["maxOutputTokens", "monthlyBudgetUsd"]);
    expect(changes[1]).toMatchObject({ before: null, after: "250.00", beforeText: "not set", afterText: "$250.00" });
  });

  it("reports a field cleared back to inherit", () => {
    const changes = diffConfig(snapshot({ topP: 0.9 }), snapshot({}));
    expect(changes).toEqual([
      { field: "topP", label: "Top-p", before: 0.9, after: null, beforeText: "0.9", afterText: "not set" },
    ]);
  });

  it("finds nothing between equal snapshots, budgets compared as decimal strings", () => {
    const same = snapshot({ temperature: 0, monthlyBudgetUsd: "10.50", requestsPerMinute: 60 });
    expect(diffConfig(same, { ...same })).toEqual([]);
    expect(
      changedFieldNames(same, snapshot({ temperature: 0, monthlyBudgetUsd: "10.51", requestsPerMinute: 60 })),
    ).toEqual(["monthlyBudgetUsd"]);
  });

  it("distinguishes zero from not set", () => {
    expect(changedFieldNames(snapshot({ temperature: null }), snapshot({ temperature: 0 }))).toEqual(["temperature"]);
    expect(changedFieldNames(snapshot({ retries: 0 }), snapshot({ retries: null }))).toEqual(["retries"]);
  });

  it("shapes audit details as { field: { before, after } } with raw values", () => {
    const changes = diffConfig(
      snapshot({ tokensPerMinute: 1000 }),
      snapshot({ tokensPerMinute: 2000, monthlyBudgetUsd: "5.00" }),
    );
    expect(changesForAudit(changes)).toEqual({
      tokensPerMinute: { before: 1000, after: 2000 },
      monthlyBudgetUsd: { before: null, after: "5.00" },
    });
  });
});
