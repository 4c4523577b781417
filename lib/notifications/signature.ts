import { createHmac, randomBytes } from "node:crypto";
import type { WebhookEvent } from "@/lib/notifications/events";

// What a webhook request carries, pure so receivers' docs and tests can point at one place. The
// signature is HMAC-SHA256 over `${timestamp}.${body}` with the channel's secret, hex-encoded.

export const HEADER_EVENT_ID = "x-console-event-id";
export const HEADER_TIMESTAMP = "x-console-timestamp";
export const HEADER_SIGNATURE = "x-console-signature";
export const SECRET_PREFIX = "whsec_";

export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex")}`;
}

export type WebhookFormat = "JSON" | "SLACK";

/** A short human line for Slack-compatible receivers ({ text }). */
export function eventText(event: WebhookEvent): string {
  const data = event.data;
  if (event.kind === "budget.threshold_reached") {
    return `[${event.severity}] Budget ${String(data.name ?? data.scope)}: ${String(data.threshold)} % of $${String(data.budget_usd)} reached in ${String(data.month)} ($${String(data.spent_usd)} spent).`;
  }
  if (event.kind === "notification.test") return `Test notification from Provider Console (${event.id}).`;
  return `[${event.severity}] ${event.kind}`;
}

export function webhookBody(event: WebhookEvent, format: WebhookFormat): string {
  return format === "SLACK" ? JSON.stringify({ text: eventText(event) }) : JSON.stringify(event);
}

export function webhookHeaders(event: WebhookEvent, secret: string, body: string, now = Date.now()) {
  const timestamp = Math.floor(now / 1000);
  return {
    "content-type": "application/json",
    "user-agent": "provider-console-webhooks/1",
    [HEADER_EVENT_ID]: event.id,
    [HEADER_TIMESTAMP]: String(timestamp),
    [HEADER_SIGNATURE]: signWebhook(secret, timestamp, body),
  };
}
