// The event kinds the console emits, how each is labelled and summed up in one line; rules name
// kinds from this list. Pure, so forms, schemas, the worker and every channel's text share it.

export const EVENT_KINDS = [
  "budget.threshold_reached",
  "spend.anomaly",
  "provider.unhealthy",
  "provider.recovered",
  "provider.error_rate_high",
  "provider_key.expiring",
  "provider_key.expired",
  "provider_key.out_of_rotation",
  "gateway_key.expiring",
  "gateway_key.expired",
  "secret.undecryptable",
  "notification.test",
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const SEVERITIES = ["INFO", "WARNING", "CRITICAL"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The JSON body every webhook receives (format json); the schema is stable, `data` varies by kind. */
export type WebhookEvent = {
  id: string;
  kind: string;
  severity: Severity;
  occurred_at: string;
  data: Record<string, unknown>;
};

type Data = Record<string, unknown>;

const text = (value: unknown, fallback = "?"): string =>
  typeof value === "string" || typeof value === "number" ? String(value) : fallback;

const day = (value: unknown): string => text(value).slice(0, 10);

type KindSpec = { label: string; summary: (data: Data, event: WebhookEvent) => string };

// Record<EventKind, …>: a kind added to EVENT_KINDS without its label and summary does not compile.
export const EVENT_KIND_SPECS: Record<EventKind, KindSpec> = {
  "budget.threshold_reached": {
    label: "Budget threshold reached (80 %, 100 %)",
    summary: (d) =>
      `Budget ${text(d.name ?? d.scope)}: ${text(d.threshold)} % of $${text(d.budget_usd)} reached in ${text(d.month)} ($${text(d.spent_usd)} spent).`,
  },
  "spend.anomaly": {
    label: "Unusual daily spend",
    summary: (d) =>
      `Spend ${text(d.name)} on ${text(d.day)}: $${text(d.spent_usd)}, ${text(d.multiple)}× the trailing 7-day average of $${text(d.average_usd)}.`,
  },
  "provider.unhealthy": {
    label: "Provider flagged unhealthy",
    summary: (d) =>
      `Provider ${text(d.provider_name)} failed ${text(d.consecutive_failures)} health checks in a row (${text(d.error_class, "error")}).`,
  },
  "provider.recovered": {
    label: "Provider recovered",
    summary: (d) => `Provider ${text(d.provider_name)} passed a health check again.`,
  },
  "provider.error_rate_high": {
    label: "Provider error rate high (5 minutes)",
    summary: (d) =>
      `Provider ${text(d.provider_name)}: ${text(d.error_percent)} % of ${text(d.requests)} calls failed in the last 5 minutes.`,
  },
  "provider_key.expiring": {
    label: "Provider key expiring soon",
    summary: (d) => `Provider ${text(d.provider_name)}: key ${text(d.key_label)} expires on ${day(d.expires_at)}.`,
  },
  "provider_key.expired": {
    label: "Provider key expired",
    summary: (d) => `Provider ${text(d.provider_name)}: key ${text(d.key_label)} expired on ${day(d.expires_at)}.`,
  },
  "provider_key.out_of_rotation": {
    label: "Provider key refused by the provider (out of rotation)",
    summary: (d) =>
      `Provider ${text(d.provider_name)}: key ${text(d.key_label)} was refused (${text(d.reason)}) and left the gateway's rotation.`,
  },
  "gateway_key.expiring": {
    label: "Gateway key expiring soon",
    summary: (d) => `Gateway key ${text(d.name)} (…${text(d.last4)}) expires on ${day(d.expires_at)}.`,
  },
  "gateway_key.expired": {
    label: "Gateway key expired",
    summary: (d) => `Gateway key ${text(d.name)} (…${text(d.last4)}) expired on ${day(d.expires_at)}.`,
  },
  "secret.undecryptable": {
    label: "Stored secret cannot be decrypted",
    summary: (d) =>
      `A stored secret (${text(d.column)}, row ${text(d.row_id)}) no longer opens with the master keyring.`,
  },
  "notification.test": {
    label: "Test message",
    summary: (_d, event) => `Test notification from Provider Console (${event.id}).`,
  },
};

export const EVENT_KIND_LABEL: Record<EventKind, string> = Object.fromEntries(
  EVENT_KINDS.map((kind) => [kind, EVENT_KIND_SPECS[kind].label]),
) as Record<EventKind, string>;

function isEventKind(kind: string): kind is EventKind {
  return (EVENT_KINDS as readonly string[]).includes(kind);
}

/** One human line for any event: Slack text, email subject lines and plain bodies. */
export function eventSummary(event: WebhookEvent): string {
  const line = isEventKind(event.kind) ? EVENT_KIND_SPECS[event.kind].summary(event.data, event) : event.kind;
  return event.kind === "notification.test" ? line : `[${event.severity}] ${line}`;
}
