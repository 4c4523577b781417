import type { RouteSettings, RouteStrategyName } from "@/lib/routes/schemas";

// The route editor keeps every number as the text the person typed; on submit the text becomes
// the settings the actions parse (lib/routes/form-schemas.ts). Text that is not a number is sent
// as it is, so the schema's own message lands on that field instead of it silently vanishing.

export type EditorTarget = {
  /** `${providerId}:${modelId}`, or "" before a model is chosen. */
  target: string;
  weight: string;
  temperature: string;
  topP: string;
  maxTokens: string;
  timeoutMs: string;
};

export type EditorState = {
  strategy: RouteStrategyName;
  groups: { targets: EditorTarget[] }[];
  retries: string;
  deadlineMs: string;
  cooldownFailures: string;
  cooldownSeconds: string;
  cacheEnabled: boolean;
  cacheTtlSeconds: string;
};

export const emptyTarget = (): EditorTarget => ({
  target: "",
  weight: "1",
  temperature: "",
  topP: "",
  maxTokens: "",
  timeoutMs: "",
});

export const NEW_ROUTE_STATE: EditorState = {
  strategy: "FALLBACK",
  groups: [{ targets: [emptyTarget()] }],
  retries: "1",
  deadlineMs: "60000",
  cooldownFailures: "3",
  cooldownSeconds: "30",
  cacheEnabled: false,
  cacheTtlSeconds: "300",
};

const text = (value: number | undefined) => (value === undefined ? "" : String(value));

export function editorStateOf(settings: RouteSettings): EditorState {
  return {
    strategy: settings.strategy,
    groups: settings.groups.map((group) => ({
      targets: group.targets.map((target) => ({
        target: `${target.providerId}:${target.modelId}`,
        weight: String(target.weight),
        temperature: text(target.params.temperature),
        topP: text(target.params.top_p),
        maxTokens: text(target.params.max_tokens),
        timeoutMs: text(target.timeoutMs),
      })),
    })),
    retries: String(settings.retries),
    deadlineMs: String(settings.deadlineMs),
    cooldownFailures: String(settings.cooldownFailures),
    cooldownSeconds: String(settings.cooldownSeconds),
    cacheEnabled: settings.cacheEnabled,
    cacheTtlSeconds: String(settings.cacheTtlSeconds),
  };
}

/** "" → left out; "1,000" → 1000; anything else that is not a number stays text for the schema to refuse. */
function numberOrText(value: string): number | string | undefined {
  const trimmed = value.trim().replace(/,/g, "");
  if (trimmed === "") return undefined;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : value;
}

export function settingsPayloadOf(state: EditorState): Record<string, unknown> {
  const groups = state.strategy === "FALLBACK_GROUPS" ? state.groups : state.groups.slice(0, 1);
  return {
    strategy: state.strategy,
    groups: groups.map((group) => ({
      targets: group.targets.map((target) => {
        const [providerId = "", modelId = ""] = target.target.split(":");
        const params = Object.fromEntries(
          (
            [
              ["temperature", numberOrText(target.temperature)],
              ["top_p", numberOrText(target.topP)],
              ["max_tokens", numberOrText(target.maxTokens)],
            ] as const
          ).filter(([, value]) => value !== undefined),
        );
        const timeoutMs = numberOrText(target.timeoutMs);
        return {
          providerId,
          modelId,
          weight: numberOrText(target.weight) ?? 1,
          params,
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
        };
      }),
    })),
    retries: numberOrText(state.retries),
    deadlineMs: numberOrText(state.deadlineMs),
    cooldownFailures: numberOrText(state.cooldownFailures),
    cooldownSeconds: numberOrText(state.cooldownSeconds),
    cacheEnabled: state.cacheEnabled,
    cacheTtlSeconds: numberOrText(state.cacheTtlSeconds),
  };
}
