import "server-only";
import { pool } from "@/lib/db/client";
import { open } from "@/lib/crypto/seal";
import { logger } from "@/lib/log/logger";
import { createProviderFetch } from "@/lib/provider-clients/provider-fetch";
import { EgressRefusedError } from "@/lib/provider-clients/egress";
import { runExclusive } from "@/lib/jobs/run-exclusive";
import { DEFAULT_BASE_DELAY_MS, nextAttemptAt } from "@/lib/notifications/backoff";
import { channelSecretAssociatedData, smtpPasswordAssociatedData } from "@/lib/notifications/channel-secret";
import { dedupeAddresses } from "@/lib/notifications/email-message";
import { SUBSCRIBER_ROLES } from "@/lib/notifications/outbox";
import type { Severity, WebhookEvent } from "@/lib/notifications/events";
import { sendEventEmail, type SmtpTlsMode } from "@/lib/notifications/send-email";
import { webhookBody, webhookHeaders, type WebhookFormat } from "@/lib/notifications/signature";
import { webhookUrlRefusal } from "@/lib/notifications/webhook-url";

// The delivery worker: sends every PENDING (event, channel) pair whose next attempt is due, one
// instance at a time (runExclusive). All state is in PostgreSQL, so a worker killed mid-send
// leaves the pair PENDING and the next worker (here or on another instance) sends it again: a
// receiver may see an event twice, never zero times, and deduplicates by the event id it carries
// in x-console-event-id (the same id on every retry). Each attempt is logged with its status and
// latency; failures retry with backoff and jitter until the event is 24 h old, then FAILED.
// Email channels go through the same rows: one message per (event, channel) to the deduplicated
// recipients of every matching rule, the SMTP reply code in the attempt's status column.

const SEND_TIMEOUT_MS = 10_000;
const BATCH = 50;

const DUE_SQL = `
SELECT d.id, d.attempts, d.channel_id::text AS channel_id, o.id::text AS event_id, o.kind, o.severity::text AS severity,
  o.payload, o.occurred_at, o.created_at, o.channel_id IS NOT NULL AS channel_only, c.kind::text AS channel_kind,
  c.url, c.format::text AS format, c.secret_ciphertext, c.smtp_host, c.smtp_port, c.smtp_tls::text AS smtp_tls,
  c.smtp_username, c.smtp_password_ciphertext, c.from_address
FROM notification_deliveries d
JOIN notification_outbox o ON o.id = d.outbox_id
JOIN notification_channels c ON c.id = d.channel_id
WHERE d.status = 'PENDING' AND d.next_attempt_at <= now() AND c.enabled
ORDER BY d.next_attempt_at, d.id
LIMIT $1`;

type DueRow = {
  id: string;
  attempts: number;
  channel_id: string;
  event_id: string;
  kind: string;
  severity: Severity;
  payload: Record<string, unknown>;
  occurred_at: Date;
  created_at: Date;
  /** A channel's own event (its test message): every recipient of the channel, whatever the rules. */
  channel_only: boolean;
  channel_kind: "WEBHOOK" | "EMAIL";
  url: string | null;
  format: WebhookFormat;
  secret_ciphertext: string | null;
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_tls: SmtpTlsMode | null;
  smtp_username: string | null;
  smtp_password_ciphertext: string | null;
  from_address: string | null;
};

// The addresses of the rules an event matches on an email channel: each rule's list, and each
// self-subscription's owner's current address while the owner is enabled, still has a role that
// may subscribe and the channel is still open for it.
const RECIPIENTS_SQL = `
SELECT coalesce(r.recipients, '{}') AS recipients, u.email AS owner_email
FROM notification_rules r
JOIN notification_channels c ON c.id = r.channel_id
LEFT JOIN users u ON u.id = r.owner_user_id
WHERE r.channel_id = $1::uuid AND r.enabled
  AND (r.owner_user_id IS NULL OR (c.self_subscribe AND NOT u.disabled AND u.role::text = ANY($5::text[])))
  AND ($4 OR ((coalesce(cardinality(r.event_kinds), 0) = 0 OR $2 = ANY(r.event_kinds))
    AND $3::"NotificationSeverity" >= r.min_severity))
ORDER BY r.created_at, r.id`;

async function recipientsFor(row: DueRow): Promise<string[]> {
  const { rows } = await pool.query<{ recipients: string[]; owner_email: string | null }>(RECIPIENTS_SQL, [
    row.channel_id,
    row.kind,
    row.severity,
    row.channel_only,
    SUBSCRIBER_ROLES,
  ]);
  const addresses = dedupeAddresses(
    rows.flatMap((rule) => [...rule.recipients, ...(rule.owner_email ? [rule.owner_email] : [])]),
  );
  // A test with no rules yet goes to the From address, so the SMTP settings can be checked first.
  if (addresses.length === 0 && row.channel_only && row.from_address) return [row.from_address];
  return addresses;
}

type Outcome = { ok: boolean; httpStatus: number | null; latencyMs: number; error: string | null };

export type DeliveryOptions = { baseDelayMs?: number; batch?: number; random?: () => number };

function eventOf(row: DueRow): WebhookEvent {
  return {
    id: row.event_id,
    kind: row.kind,
    severity: row.severity,
    occurred_at: row.occurred_at.toISOString(),
    data: row.payload,
  };
}

async function sendEmail(row: DueRow): Promise<Outcome> {
  if (!row.smtp_host || !row.smtp_port || !row.smtp_tls || !row.from_address)
    return { ok: false, httpStatus: null, latencyMs: 0, error: "The channel's SMTP settings are incomplete." };
  const recipients = await recipientsFor(row);
  // The rules that matched when the event was written are gone: nothing to send, nothing to retry.
  if (recipients.length === 0)
    return { ok: true, httpStatus: null, latencyMs: 0, error: "No recipients (the matching rules were removed)." };
  let password: string | null = null;
  try {
    if (row.smtp_password_ciphertext)
      password = open(row.smtp_password_ciphertext, smtpPasswordAssociatedData(row.channel_id));
  } catch {
    return {
      ok: false,
      httpStatus: null,
      latencyMs: 0,
      error: "The SMTP password does not open (see Secrets health).",
    };
  }
  const outcome = await sendEventEmail(
    row.channel_id,
    {
      host: row.smtp_host,
      port: row.smtp_port,
      tls: row.smtp_tls,
      username: row.smtp_username,
      password,
      from: row.from_address,
    },
    eventOf(row),
    recipients,
  );
  return { ok: outcome.ok, httpStatus: outcome.code, latencyMs: outcome.latencyMs, error: outcome.error };
}

async function send(row: DueRow): Promise<Outcome> {
  if (row.channel_kind === "EMAIL") return sendEmail(row);
  return sendWebhook(row);
}

async function sendWebhook(row: DueRow): Promise<Outcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (!row.url || !row.secret_ciphertext)
    return { ok: false, httpStatus: null, latencyMs: 0, error: "The channel has no URL or signing secret." };
  const refusal = webhookUrlRefusal(row.url);
  if (refusal) return { ok: false, httpStatus: null, latencyMs: 0, error: refusal };
  try {
    const secret = open(row.secret_ciphertext, channelSecretAssociatedData(row.channel_id));
    const event = eventOf(row);
    const body = webhookBody(event, row.format);
    const transport = createProviderFetch({ allowedOrigin: new URL(row.url).origin });
    const response = await transport(row.url, {
      method: "POST",
      headers: webhookHeaders(event, secret, body),
      body,
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, httpStatus: response.status, latencyMs: elapsed(), error: ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    // The message names the failure class (refused address, timeout, reset), never the secret.
    const message =
      error instanceof EgressRefusedError
        ? `Refused: the URL resolved to ${error.address}, a ${error.range} address (see EGRESS_ALLOWED_NETWORKS).`
        : error instanceof Error
          ? `${error.name}: ${error.message}`
          : "send failed";
    return { ok: false, httpStatus: null, latencyMs: elapsed(), error: message.slice(0, 500) };
  }
}

async function record(row: DueRow, outcome: Outcome, options: DeliveryOptions): Promise<void> {
  const attempt = row.attempts + 1;
  const now = new Date();
  const next = outcome.ok
    ? null
    : nextAttemptAt(attempt, row.created_at, now, options.baseDelayMs ?? baseDelayFromEnv(), options.random);
  const status = outcome.ok ? "DELIVERED" : next ? "PENDING" : "FAILED";
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO notification_attempts (delivery_id, attempt, http_status, latency_ms, error) VALUES ($1, $2, $3, $4, $5)`,
      [row.id, attempt, outcome.httpStatus, outcome.latencyMs, outcome.error],
    );
    await client.query(
      `UPDATE notification_deliveries SET status = $2::"NotificationDeliveryStatus", attempts = $3, last_attempt_at = $4,
         last_http_status = $5, last_error = $6, delivered_at = $7, next_attempt_at = coalesce($8, next_attempt_at)
       WHERE id = $1`,
      [row.id, status, attempt, now, outcome.httpStatus, outcome.error, outcome.ok ? now : null, next],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function baseDelayFromEnv(): number {
  const value = Number(process.env.NOTIFY_RETRY_BASE_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_BASE_DELAY_MS;
}

export type DeliveryRun = { attempted: number; delivered: number };

/** Sends what is due, batch after batch, until nothing is due. Call through runDeliveryWorker. */
export async function deliverDue(options: DeliveryOptions = {}): Promise<DeliveryRun> {
  const run: DeliveryRun = { attempted: 0, delivered: 0 };
  const batch = options.batch ?? BATCH;
  for (;;) {
    const { rows } = await pool.query<DueRow>(DUE_SQL, [batch]);
    // One channel's sends in order, channels side by side: a slow receiver holds only its own events.
    const byChannel = new Map<string, DueRow[]>();
    for (const row of rows) byChannel.set(row.channel_id, [...(byChannel.get(row.channel_id) ?? []), row]);
    await Promise.all(
      [...byChannel.values()].map(async (list) => {
        for (const row of list) {
          const outcome = await send(row);
          await record(row, outcome, options);
          run.attempted += 1;
          if (outcome.ok) run.delivered += 1;
          else
            logger.warn("notification delivery failed", {
              deliveryId: row.id,
              channelKind: row.channel_kind,
              status: outcome.httpStatus,
            });
        }
      }),
    );
    if (rows.length < batch) return run;
  }
}

/** One worker pass on this instance if no other instance is running one. */
export function runDeliveryWorker(options: DeliveryOptions = {}) {
  return runExclusive("notifications.deliver", () => deliverDue(options));
}

const state = globalThis as unknown as { notificationTimer?: NodeJS.Timeout };

/** Starts this process's delivery ticker (instrumentation.ts); NOTIFY_WORKER=off disables it. */
export function startNotificationWorker(intervalMs = Number(process.env.NOTIFY_WORKER_INTERVAL_MS ?? 5_000)): void {
  if (state.notificationTimer || process.env.NOTIFY_WORKER === "off") return;
  let ticking = false;
  state.notificationTimer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    void runDeliveryWorker()
      .catch((error: unknown) => logger.error("notification worker failed", { error }))
      .finally(() => {
        ticking = false;
      });
  }, intervalMs);
  state.notificationTimer.unref();
}
