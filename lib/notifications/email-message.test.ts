import { expect, test } from "vitest";
import {
  dedupeAddresses,
  emailHtml,
  emailSubject,
  emailText,
  escapeHtml,
  messageIdFor,
} from "@/lib/notifications/email-message";

const EVENT_ID = "7c0e8a57-5d0c-4b53-9a3e-1f0f8f2f6c11";
const CHANNEL_A = "3f0c1d2e-0000-4000-8000-000000000001";
const CHANNEL_B = "3f0c1d2e-0000-4000-8000-000000000002";

const budgetEvent = (name: string) => ({
  id: EVENT_ID,
  kind: "budget.threshold_reached",
  severity: "CRITICAL" as const,
  occurred_at: "2026-12-02T13:40:00.000Z",
  data: { scope: "team:3f0c", name, month: "2026-12", threshold: 100, budget_usd: "500.00", spent_usd: "503.12" },
});

test("escapeHtml escapes the five HTML metacharacters", () => {
  expect(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
    "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;",
  );
});

test("the subject names severity, kind and the budget; line breaks cannot add headers", () => {
  expect(emailSubject(budgetEvent("Search"))).toBe(
    "[CRITICAL] Budget threshold reached: Search at 100 % (budget.threshold_reached)",
  );
  const subject = emailSubject(budgetEvent("Evil\r\nBcc: victim@example.com"));
  expect(subject).not.toMatch(/[\r\n]/);
  expect(subject).toContain("Evil Bcc: victim@example.com");
});

test("the HTML part escapes a hostile team name; the text part carries it verbatim", () => {
  const event = budgetEvent(`<script>alert("x")</script>`);
  const html = emailHtml(event);
  expect(html).not.toContain("<script>");
  expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  const text = emailText(event);
  expect(text).toContain(`<script>alert("x")</script>`);
  expect(text).toContain(`Event id: ${EVENT_ID}`);
  expect(text).toContain("spent_usd: 503.12");
});

test("the Message-ID is stable per (event, channel) and differs between channels", () => {
  const a = messageIdFor(EVENT_ID, CHANNEL_A);
  expect(a).toBe(messageIdFor(EVENT_ID, CHANNEL_A));
  expect(a).not.toBe(messageIdFor(EVENT_ID, CHANNEL_B));
  expect(a).toMatch(new RegExp(`^<${EVENT_ID}\\.[0-9a-f]{32}@notifications\\.provider-console>$`));
});

test("addresses are deduplicated case-insensitively, first spelling kept", () => {
  expect(dedupeAddresses(["Ada@Example.com", "bob@example.com", "ada@example.com", " bob@example.com "])).toEqual([
    "Ada@Example.com",
    "bob@example.com",
  ]);
});
