import { describe, expect, it } from "vitest";
import { diffRouteSettings } from "@/lib/routes/diff";
import { routeSettingsSchema, type RouteSettings } from "@/lib/routes/schemas";

const P = "6f1c2b9e-3d4a-4b5c-8d7e-9f0a1b2c3d4e";
const A = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
const B = "1a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
const NAMES: Record<string, string> = { [A]: "Acme / fast", [B]: "Acme / slow" };
const label = (target: { modelId: string }) => NAMES[target.modelId] ?? "?";

const settings = (overrides: Record<string, unknown> = {}): RouteSettings =>
  routeSettingsSchema.parse({
    strategy: "FALLBACK",
    groups: [
      {
        targets: [
          { providerId: P, modelId: A },
          { providerId: P, modelId: B, weight: 2, timeoutMs: 5000 },
        ],
      },
    ],
    ...overrides,
  });

describe("diffRouteSettings", () => {
  it("lists every setting for a first version", () => {
    const changes = diffRouteSettings(null, settings(), label);
    expect(changes.map((change) => change.field)).toEqual([
      "strategy",
      "targets",
      "retries",
      "deadlineMs",
      "cooldownFailures",
      "cooldownSeconds",
      "cacheEnabled",
      "cacheTtlSeconds",
    ]);
    expect(changes[1]).toMatchObject({
      beforeText: "not set",
      afterText: "Acme / fast (weight 1); Acme / slow (weight 2, timeout 5000 ms)",
    });
  });

  it("names only what changed, with the targets shown by model name", () => {
    const before = settings();
    const after = settings({
      cacheEnabled: true,
      groups: [{ targets: [{ providerId: P, modelId: B, weight: 1, params: { temperature: 0.2 } }] }],
    });
    expect(diffRouteSettings(before, after, label)).toEqual([
      {
        field: "targets",
        label: "Targets",
        beforeText: "Acme / fast (weight 1); Acme / slow (weight 2, timeout 5000 ms)",
        afterText: "Acme / slow (weight 1, temperature 0.2)",
      },
      { field: "cacheEnabled", label: "Cache", beforeText: "off", afterText: "on" },
    ]);
  });

  it("treats a reordered fallback list as a change and identical settings as none", () => {
    const reordered = settings({
      groups: [
        {
          targets: [
            { providerId: P, modelId: B, weight: 2, timeoutMs: 5000 },
            { providerId: P, modelId: A },
          ],
        },
      ],
    });
    expect(diffRouteSettings(settings(), reordered, label).map((change) => change.field)).toEqual(["targets"]);
    expect(diffRouteSettings(settings(), settings(), label)).toEqual([]);
  });

  it("numbers the groups of a fallback-of-groups route", () => {
    const groups = settings({
      strategy: "FALLBACK_GROUPS",
      groups: [{ targets: [{ providerId: P, modelId: A }] }, { targets: [{ providerId: P, modelId: B }] }],
    });
    const targets = diffRouteSettings(settings(), groups, label).find((change) => change.field === "targets");
    expect(targets?.afterText).toBe("group 1: Acme / fast (weight 1) | group 2: Acme / slow (weight 1)");
  });
});
