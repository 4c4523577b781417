import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from "smtp-server";

// A real SMTP server on loopback for the email notification tests (smtp-server, the server half
// of nodemailer's project, speaking real SMTP), with what arrived parsed by mailparser. Written
// from the documented contract (docs/notifications.md), not from lib/notifications: it checks
// AUTH itself, records the envelope and the parsed message, and can answer 5xx to DATA.

export type ReceivedMail = {
  at: number;
  mailFrom: string;
  rcptTo: string[];
  /** The authenticated user name, if the client logged in. */
  user: string | null;
  secure: boolean;
  raw: string;
  parsed: ParsedMail;
  eventId: string;
  messageId: string;
};

export type TestSmtp = {
  host: string;
  port: number;
  received: ReceivedMail[];
  /** Every AUTH attempt: user name and whether it was accepted (never the password). */
  logins: { user: string; ok: boolean }[];
  /** Mails seen once per event id (what a deduplicating mailbox keeps). */
  uniqueEventIds: () => Set<string>;
  close: () => Promise<void>;
};

export type TestSmtpOptions = {
  /** Require AUTH PLAIN/LOGIN with exactly this user and password. */
  credentials?: { user: string; password: string };
  /** Offer STARTTLS with a fresh self-signed certificate for 127.0.0.1 (valid dates, trusted by no one); off by default. */
  starttls?: boolean;
  /** SMTP reply code for the n-th DATA (0-based); 250 (accept) when unset or under 400. */
  respond?: (index: number) => number;
  /** Holds each answer to DATA this long after the message is recorded (a slow server). */
  delayMs?: number;
};

export async function startTestSmtp(options: TestSmtpOptions = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const logins: { user: string; ok: boolean }[] = [];
  let dataCount = 0;
  const server = new SMTPServer({
    secure: false,
    ...(options.starttls ? selfSignedCertificate() : {}),
    disabledCommands: options.starttls ? [] : ["STARTTLS"],
    authOptional: !options.credentials,
    allowInsecureAuth: true,
    authMethods: ["PLAIN", "LOGIN"],
    logger: false,
    onAuth(auth: SMTPServerAuthentication, _session: SMTPServerSession, callback) {
      const expected = options.credentials;
      const ok = !!expected && auth.username === expected.user && auth.password === expected.password;
      logins.push({ user: auth.username ?? "", ok });
      if (!ok) {
        const error = new Error("Invalid username or password") as Error & { responseCode?: number };
        error.responseCode = 535;
        callback(error);
        return;
      }
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const index = dataCount++;
        const code = options.respond?.(index) ?? 250;
        const raw = Buffer.concat(chunks).toString("utf8");
        if (code >= 400) {
          const error = new Error(`Rejected by the test server (${code})`) as Error & { responseCode?: number };
          error.responseCode = code;
          callback(error);
          return;
        }
        simpleParser(raw)
          .then((parsed) => {
            const header = parsed.headers.get("x-console-event-id");
            received.push({
              at: Date.now(),
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              rcptTo: session.envelope.rcptTo.map((entry) => entry.address),
              user: typeof session.user === "string" ? session.user : null,
              secure: session.secure,
              raw,
              parsed,
              eventId: typeof header === "string" ? header : "",
              messageId: parsed.messageId ?? "",
            });
            setTimeout(() => callback(), options.delayMs ?? 0);
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: "127.0.0.1",
    port,
    received,
    logins,
    uniqueEventIds: () => new Set(received.map((mail) => mail.eventId)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A key and a self-signed certificate for 127.0.0.1, valid from now for a day (openssl). */
export function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(tmpdir(), "test-smtp-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    return { key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A loopback port with nothing listening (a server that is down). */
export async function closedPort(): Promise<number> {
  const probe = new SMTPServer({ logger: false, authOptional: true });
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const port = (probe.server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
