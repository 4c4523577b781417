import { createHash } from "node:crypto";
import { EVENT_KIND_LABEL, eventSummary, type EventKind, type WebhookEvent } from "@/lib/notifications/events";

// What an email notification says: subject, plain text and HTML per event kind, and the headers
// a mailbox (or a mail pipeline) deduplicates by. Pure, so the unit test and the docs share it.
// Every value from an event (a provider's or team's name, an admin's email) is HTML-escaped in
// the HTML part and stripped of line breaks in the subject.

export const HEADER_EMAIL_EVENT_ID = "X-Console-Event-Id";

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/** One line of header text: no CR/LF (header injection) and no other control characters. */
function headerText(value: string, max = 200): string {
  return value
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .trim()
    .slice(0, max);
}

/**
 * The Message-ID of an event's mail on a channel: the same on every retry, so a server or a
 * mailbox that keeps ids recognises a resend; different per channel, as they are two messages.
 */
export function messageIdFor(eventId: string, channelId: string): string {
  const digest = createHash("sha256").update(`${eventId}:${channelId}`).digest("hex").slice(0, 32);
  return `<${eventId}.${digest}@notifications.provider-console>`;
}

// Shorter than the rule form's labels where those carry hints; other kinds use their label.
const KIND_TITLE: Record<string, string> = {
  "budget.threshold_reached": "Budget threshold reached",
  "notification.test": "Test notification",
};

export function emailSubject(event: WebhookEvent): string {
  const data = event.data;
  const title = KIND_TITLE[event.kind] ?? EVENT_KIND_LABEL[event.kind as EventKind] ?? event.kind;
  const detail =
    event.kind === "budget.threshold_reached"
      ? `: ${String(data.name ?? data.scope)} at ${String(data.threshold)} %`
      : "";
  return headerText(`[${event.severity}] ${title}${detail} (${event.kind})`);
}

/** The rows of the details table: the event's data as label/value pairs, in a stable order. */
function detailRows(event: WebhookEvent): [string, string][] {
  const rows: [string, string][] = [
    ["Event", event.kind],
    ["Severity", event.severity],
    ["Occurred at", event.occurred_at],
    ["Event id", event.id],
  ];
  for (const [key, value] of Object.entries(event.data)) {
    rows.push([key, typeof value === "string" ? value : JSON.stringify(value)]);
  }
  return rows;
}

export function emailText(event: WebhookEvent): string {
  const lines = [eventSummary(event), "", ...detailRows(event).map(([label, value]) => `${label}: ${value}`)];
  lines.push("", "Sent by Provider Console. Rules on the Notifications page decide who receives what.");
  return `${lines.join("\n")}\n`;
}

export function emailHtml(event: WebhookEvent): string {
  const rows = detailRows(event)
    .map(
      ([label, value]) =>
        `<tr><th align="left" style="padding:2px 12px 2px 0;color:#475569">${escapeHtml(label)}</th><td style="padding:2px 0;font-family:monospace">${escapeHtml(value)}</td></tr>`,
    )
    .join("");
  return [
    "<!doctype html>",
    '<html><body style="font-family:system-ui,sans-serif;color:#0f172a">',
    `<p style="font-size:16px;font-weight:600">${escapeHtml(eventSummary(event))}</p>`,
    `<table style="font-size:13px;border-collapse:collapse">${rows}</table>`,
    '<p style="font-size:12px;color:#64748b">Sent by Provider Console. Rules on the Notifications page decide who receives what.</p>',
    "</body></html>",
  ].join("");
}

/** Addresses once each (case-insensitive), in first-seen order. */
export function dedupeAddresses(addresses: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const address of addresses) {
    const key = address.trim().toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(address.trim());
  }
  return out;
}
