import { ROUTE_STRATEGY_LABEL, type RouteSettings, type RouteTarget } from "@/lib/routes/schemas";

// What changed between two versions of a route, setting by setting. Pure: the history list, the
// audit details and the tests agree on what "changed" means. Targets are compared as a whole
// (order matters for fallback), shown through a label function so the diff names models, not ids.

export const ROUTE_FIELDS = [
  "strategy",
  "targets",
  "retries",
  "deadlineMs",
  "cooldownFailures",
  "cooldownSeconds",
  "cacheEnabled",
  "cacheTtlSeconds",
] as const;
export type RouteField = (typeof ROUTE_FIELDS)[number];

export const ROUTE_FIELD_LABEL: Record<RouteField, string> = {
  strategy: "Strategy",
  targets: "Targets",
  retries: "Retries per target",
  deadlineMs: "Deadline",
  cooldownFailures: "Cooldown after failures",
  cooldownSeconds: "Cooldown period",
  cacheEnabled: "Cache",
  cacheTtlSeconds: "Cache TTL",
};

export type RouteChange = { field: RouteField; label: string; beforeText: string; afterText: string };

export type TargetLabel = (target: RouteTarget) => string;

export function describeTarget(target: RouteTarget, label: TargetLabel): string {
  const extras = [
    `weight ${target.weight}`,
    target.params.temperature !== undefined ? `temperature ${target.params.temperature}` : null,
    target.params.top_p !== undefined ? `top_p ${target.params.top_p}` : null,
    target.params.max_tokens !== undefined ? `max_tokens ${target.params.max_tokens}` : null,
    target.timeoutMs !== undefined ? `timeout ${target.timeoutMs} ms` : null,
  ].filter(Boolean);
  return `${label(target)} (${extras.join(", ")})`;
}

/** Groups as one line: "group 1: a (weight 1); b (weight 2) | group 2: …". */
export function describeGroups(settings: Pick<RouteSettings, "groups">, label: TargetLabel): string {
  const groups = settings.groups.map((group) =>
    group.targets.map((target) => describeTarget(target, label)).join("; "),
  );
  return groups.length === 1 ? groups[0]! : groups.map((text, index) => `group ${index + 1}: ${text}`).join(" | ");
}

export function formatRouteField(field: RouteField, settings: RouteSettings | null, label: TargetLabel): string {
  if (!settings) return "not set";
  switch (field) {
    case "strategy":
      return ROUTE_STRATEGY_LABEL[settings.strategy];
    case "targets":
      return describeGroups(settings, label);
    case "retries":
      return String(settings.retries);
    case "deadlineMs":
      return `${settings.deadlineMs} ms`;
    case "cooldownFailures":
      return `${settings.cooldownFailures} failures in a row`;
    case "cooldownSeconds":
      return `${settings.cooldownSeconds} s`;
    case "cacheEnabled":
      return settings.cacheEnabled ? "on" : "off";
    case "cacheTtlSeconds":
      return `${settings.cacheTtlSeconds} s`;
  }
}

const raw = (field: RouteField, settings: RouteSettings): string =>
  field === "targets" ? JSON.stringify(settings.groups) : String(settings[field]);

/** Changes from `previous` to `next`; a first version (no previous) lists every setting. */
export function diffRouteSettings(
  previous: RouteSettings | null,
  next: RouteSettings,
  label: TargetLabel,
): RouteChange[] {
  return ROUTE_FIELDS.filter((field) => !previous || raw(field, previous) !== raw(field, next)).map((field) => ({
    field,
    label: ROUTE_FIELD_LABEL[field],
    beforeText: formatRouteField(field, previous, label),
    afterText: formatRouteField(field, next, label),
  }));
}
