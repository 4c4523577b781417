// The event kinds the console emits and how each is labelled; rules name kinds from this list.
// Pure, so forms, schemas and the worker share it.

export const EVENT_KINDS = ["budget.threshold_reached", "notification.test"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_KIND_LABEL: Record<EventKind, string> = {
  "budget.threshold_reached": "Budget threshold reached (80 %, 100 %)",
  "notification.test": "Test message",
};

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
