import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { createChannelSpec, createRuleSpec } from "@/lib/notifications/action-specs";
import { letters } from "./test-calls-support";

// A webhook receiver on loopback for the notification tests, written from the documented contract
// (docs/notifications.md), not from lib/notifications: it checks each signature itself with
// node:crypto and deduplicates by the event id header, as a real receiver should.

export type Received = {
  at: number;
  eventId: string;
  timestamp: string;
  signatureValid: boolean;
  body: string;
  json: Record<string, unknown>;
};

export type Receiver = {
  url: string;
  origin: string;
  received: Received[];
  /** Event ids seen, each once (what a deduplicating receiver keeps). */
  uniqueIds: () => Set<string>;
  setSecret: (secret: string) => void;
  close: () => Promise<void>;
};

/** `respond` picks the status for the n-th request (0-based); `delayMs` holds each answer. */
export async function startReceiver(
  options: { respond?: (index: number) => number; delayMs?: number } = {},
): Promise<Receiver> {
  let secret = "";
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const timestamp = String(request.headers["x-console-timestamp"] ?? "");
      const signature = String(request.headers["x-console-signature"] ?? "");
      const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
      const signatureValid =
        signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        // Recorded as an empty object: the test asserts on it.
      }
      const index = received.length;
      received.push({
        at: Date.now(),
        eventId: String(request.headers["x-console-event-id"] ?? ""),
        timestamp,
        signatureValid,
        body,
        json,
      });
      const status = options.respond?.(index) ?? 200;
      setTimeout(() => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify({ ok: status < 300 }));
      }, options.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    origin: `http://127.0.0.1:${port}`,
    received,
    uniqueIds: () => new Set(received.filter((entry) => entry.signatureValid).map((entry) => entry.eventId)),
    setSecret: (value) => {
      secret = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Creates a channel at the receiver (as an admin, through the action) and a rule; returns its id and secret. */
export async function createChannelFor(
  admin: Actor,
  receiver: Receiver,
  rule: { eventKinds?: string[]; minSeverity?: string } | null = {},
  format: "JSON" | "SLACK" = "JSON",
): Promise<{ channelId: string; secret: string }> {
  const created = await executeAction(createChannelSpec, admin, {
    name: `hook-${letters()}`,
    url: receiver.url,
    format,
  });
  if (!created.ok || !created.data) throw new Error(`channel not created: ${JSON.stringify(created)}`);
  receiver.setSecret(created.data.secret);
  if (rule) {
    const ruled = await executeAction(createRuleSpec, admin, { channelId: created.data.id, ...rule });
    if (!ruled.ok) throw new Error(`rule not created: ${JSON.stringify(ruled)}`);
  }
  return { channelId: created.data.id, secret: created.data.secret };
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = "condition") {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
