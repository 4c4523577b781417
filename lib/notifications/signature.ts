import { createHmac, randomBytes } from "node:crypto";
import { eventSummary, type WebhookEvent } from "@/lib/notifications/events";

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

/** A short human line for Slack-compatible receivers ({ text }); the same line for every channel. */
export function eventText(event: WebhookEvent): string {
  return eventSummary(event);
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
