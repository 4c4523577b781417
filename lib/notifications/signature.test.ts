import { createHmac } from "node:crypto";
import { expect, test } from "vitest";
import { generateWebhookSecret, signWebhook, webhookBody, webhookHeaders } from "@/lib/notifications/signature";
import type { WebhookEvent } from "@/lib/notifications/events";

const event: WebhookEvent = {
  id: "6f1c2b9e-3d4a-4b5c-8d7e-9f0a1b2c3d4e",
  kind: "budget.threshold_reached",
  severity: "WARNING",
  occurred_at: "2026-12-02T12:00:00.000Z",
  data: { scope: "team:x", name: "Search", threshold: 80, budget_usd: "100.00", spent_usd: "81", month: "2026-12" },
};

test("the signature is HMAC-SHA256 over timestamp.body with the channel secret", () => {
  const secret = generateWebhookSecret();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  const body = webhookBody(event, "JSON");
  const headers = webhookHeaders(event, secret, body, 1_764_676_800_000);
  expect(headers["x-console-timestamp"]).toBe("1764676800");
  const expected = createHmac("sha256", secret).update(`1764676800.${body}`).digest("hex");
  expect(headers["x-console-signature"]).toBe(`sha256=${expected}`);
  expect(signWebhook("other", 1764676800, body)).not.toBe(headers["x-console-signature"]);
  expect(headers["x-console-event-id"]).toBe(event.id);
});

test("the JSON body is the stable event schema; Slack gets one text line", () => {
  expect(JSON.parse(webhookBody(event, "JSON"))).toEqual(event);
  const slack = JSON.parse(webhookBody(event, "SLACK")) as { text: string };
  expect(Object.keys(slack)).toEqual(["text"]);
  expect(slack.text).toContain("80 %");
  expect(slack.text).toContain("Search");
});
