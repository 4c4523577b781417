import "server-only";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import nodemailer from "nodemailer";
import { assertEgressAllowed, egressPolicy, EgressRefusedError, refusedRangeOf } from "@/lib/provider-clients/egress";
import type { WebhookEvent } from "@/lib/notifications/events";
import {
  emailHtml,
  emailSubject,
  emailText,
  HEADER_EMAIL_EVENT_ID,
  messageIdFor,
} from "@/lib/notifications/email-message";
import { hostRefusal } from "@/lib/notifications/webhook-url";

// Sends one event's mail over SMTP. The host goes through the webhook host policy when saved and
// again here; then the name is resolved once and the connection goes to that address (checked
// with the egress policy, so a name that resolves to an internal address is refused, and a DNS
// answer cannot change between the check and the connect), with TLS verified against the name.
// Plain-text SMTP (TLS mode NONE) is allowed only to an address EGRESS_ALLOWED_NETWORKS lists:
// credentials and budgets never cross a network in the clear unless an administrator said so.
// Errors are the server's reply or the failure class, scrubbed of the password in any form.

export type SmtpTlsMode = "IMPLICIT" | "STARTTLS" | "NONE";

export type SmtpSettings = {
  host: string;
  port: number;
  tls: SmtpTlsMode;
  username: string | null;
  password: string | null;
  from: string;
};

export type EmailOutcome = { ok: boolean; code: number | null; latencyMs: number; error: string | null };

const TIMEOUT_MS = 10_000;

/** Why plain-text SMTP may not go to this address, or null (listed in EGRESS_ALLOWED_NETWORKS). */
export function plainTextRefusal(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, "");
  const allowed = egressPolicy().allowed.check(bare, isIP(bare) === 6 ? "ipv6" : "ipv4");
  return allowed
    ? null
    : "TLS mode 'none' is only allowed to a server whose address EGRESS_ALLOWED_NETWORKS lists; use STARTTLS or implicit TLS.";
}

/** Save-time check of an SMTP host and TLS mode (a name is checked again when it is resolved). */
export function smtpHostRefusal(host: string, tls: SmtpTlsMode): string | null {
  const refusal = hostRefusal(host);
  if (refusal) return refusal;
  const bare = host.toLowerCase().replace(/^\[|\]$/g, "");
  const literal = isIP(bare) ? bare : bare === "localhost" || bare.endsWith(".localhost") ? "127.0.0.1" : null;
  return tls === "NONE" && literal ? plainTextRefusal(literal) : null;
}

async function resolveAddress(host: string): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, "");
  if (isIP(bare)) return bare;
  return (await lookup(bare)).address;
}

function scrub(text: string, settings: SmtpSettings): string {
  let out = text;
  const secrets: string[] = [];
  if (settings.password) {
    secrets.push(settings.password, Buffer.from(settings.password).toString("base64"));
    if (settings.username)
      secrets.push(Buffer.from(`\u0000${settings.username}\u0000${settings.password}`).toString("base64"));
  }
  for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join("[redacted]");
  return out;
}

type SmtpError = Error & { code?: string; responseCode?: number; response?: string; command?: string };

function describe(error: unknown, settings: SmtpSettings): { code: number | null; message: string } {
  if (error instanceof EgressRefusedError)
    return {
      code: null,
      message: `Refused: the SMTP host resolved to ${error.address}, a ${error.range} address (see EGRESS_ALLOWED_NETWORKS).`,
    };
  const failure = error as SmtpError;
  const code = typeof failure.responseCode === "number" ? failure.responseCode : null;
  let message: string;
  if (failure.code === "ETLS" && settings.tls === "STARTTLS")
    message = `STARTTLS failed: the server did not upgrade the connection, and this channel requires TLS (${failure.response ?? failure.message}).`;
  else if (/certificate|self[- ]signed|CERT_|unable to verify/i.test(failure.message))
    message = `TLS certificate refused: ${failure.message} (the server's certificate must be valid for ${settings.host} and signed by a trusted authority).`;
  else if (failure.code === "EAUTH") message = `Authentication failed: ${failure.response ?? failure.message}`;
  else if (code !== null) message = `SMTP ${code}: ${failure.response ?? failure.message}`;
  else if (failure.code) message = `${failure.code}: ${failure.message}`;
  else message = error instanceof Error ? `${error.name}: ${error.message}` : "send failed";
  return { code, message: scrub(message, settings).slice(0, 500) };
}

/** Sends the event to the recipients as one message (recipients in Bcc: no one sees the others). */
export async function sendEventEmail(
  channelId: string,
  settings: SmtpSettings,
  event: WebhookEvent,
  recipients: readonly string[],
): Promise<EmailOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const refusal = smtpHostRefusal(settings.host, settings.tls);
  if (refusal) return { ok: false, code: null, latencyMs: 0, error: refusal };
  if (recipients.length === 0) return { ok: false, code: null, latencyMs: 0, error: "No recipients." };
  try {
    const address = await resolveAddress(settings.host);
    const range = refusedRangeOf(address);
    if (range?.startsWith("link-local")) throw new EgressRefusedError(address, range);
    assertEgressAllowed(address);
    if (settings.tls === "NONE") {
      const plain = plainTextRefusal(address);
      if (plain) return { ok: false, code: null, latencyMs: elapsed(), error: plain };
    }
    const name = settings.host.replace(/^\[|\]$/g, "");
    const transport = nodemailer.createTransport({
      host: address,
      port: settings.port,
      secure: settings.tls === "IMPLICIT",
      requireTLS: settings.tls === "STARTTLS",
      ignoreTLS: settings.tls === "NONE",
      // Certificates are checked against the name the admin entered, not the resolved address.
      tls: { servername: isIP(name) ? undefined : name, minVersion: "TLSv1.2" },
      auth: settings.username ? { user: settings.username, pass: settings.password ?? "" } : undefined,
      name: "provider-console",
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
      debug: false,
    });
    try {
      const info = (await transport.sendMail({
        from: settings.from,
        bcc: [...recipients],
        subject: emailSubject(event),
        text: emailText(event),
        html: emailHtml(event),
        messageId: messageIdFor(event.id, channelId),
        headers: { [HEADER_EMAIL_EVENT_ID]: event.id },
      })) as { response?: string; rejected?: unknown[] };
      const code = Number.parseInt(String(info.response ?? "").slice(0, 3), 10);
      const rejected = (info.rejected ?? []).map(String);
      return {
        ok: true,
        code: Number.isFinite(code) ? code : null,
        latencyMs: elapsed(),
        error: rejected.length > 0 ? `Refused recipients: ${rejected.join(", ")}`.slice(0, 500) : null,
      };
    } finally {
      transport.close();
    }
  } catch (error) {
    const { code, message } = describe(error, settings);
    return { ok: false, code, latencyMs: elapsed(), error: message };
  }
}
