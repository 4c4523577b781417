import { describe, expect, it } from "vitest";
import { editorStateOf, NEW_ROUTE_STATE, settingsPayloadOf } from "@/lib/routes/editor-state";
import { routeSettingsSchema } from "@/lib/routes/schemas";

const P = "6f1c2b9e-3d4a-4b5c-8d7e-9f0a1b2c3d4e";
const M = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
const N = "1a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";

describe("route editor state", () => {
  it("round-trips stored settings through the editor unchanged", () => {
    const settings = routeSettingsSchema.parse({
      strategy: "FALLBACK_GROUPS",
      groups: [
        {
          targets: [
            { providerId: P, modelId: M, weight: 3, params: { temperature: 0.4, max_tokens: 900 }, timeoutMs: 7000 },
          ],
        },
        { targets: [{ providerId: P, modelId: N, params: { top_p: 0.5 } }] },
      ],
      retries: 2,
      cacheEnabled: true,
      cacheTtlSeconds: 60,
    });
    expect(routeSettingsSchema.parse(settingsPayloadOf(editorStateOf(settings)))).toEqual(settings);
  });

  it("drops empty overrides, reads thousands separators, and keeps non-numbers as text for the schema to refuse", () => {
    const state = {
      ...NEW_ROUTE_STATE,
      deadlineMs: "30,000",
      groups: [
        {
          targets: [
            { target: `${P}:${M}`, weight: "two", temperature: "", topP: " ", maxTokens: "1,024", timeoutMs: "" },
          ],
        },
      ],
    };
    const payload = settingsPayloadOf(state);
    expect(payload).toMatchObject({
      deadlineMs: 30000,
      groups: [{ targets: [{ providerId: P, modelId: M, weight: "two", params: { max_tokens: 1024 } }] }],
    });
    const parsed = routeSettingsSchema.safeParse(payload);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toEqual(["groups.0.targets.0.weight"]);
  });

  it("sends only the first group unless the strategy is fallback of groups", () => {
    const state = {
      ...NEW_ROUTE_STATE,
      strategy: "LOAD_BALANCE" as const,
      groups: [
        { targets: [{ ...NEW_ROUTE_STATE.groups[0]!.targets[0]!, target: `${P}:${M}` }] },
        { targets: [{ ...NEW_ROUTE_STATE.groups[0]!.targets[0]!, target: `${P}:${N}` }] },
      ],
    };
    expect((settingsPayloadOf(state).groups as unknown[]).length).toBe(1);
  });
});
