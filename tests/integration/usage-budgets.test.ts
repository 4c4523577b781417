import { beforeAll, describe, expect, it } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import { db } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/ingest-batch";
import { checkBudgetThresholds } from "@/lib/notifications/budget-thresholds";
import { deleteBudgetSpec, setBudgetSpec } from "@/lib/usage/budget-action-specs";
import { loadBudgetStatuses, monthToDateSpend } from "@/lib/usage/budgets";
import { createActor } from "../support/actors";
import { CLOCKS, shortlyBefore } from "../support/clock";
import { createUsageFixture, wireRecord, type UsageFixture } from "./ingest-support";

// Budgets per provider (this file's own provider, so other files' usage cannot move them) and
// overall; threshold events once per month per threshold, also under concurrent reads.

let fixture: UsageFixture;
let admin: Awaited<ReturnType<typeof createActor>>;
// Threshold events of a provider's budget: notification events (each also an audit event).
const crossingEvents = (providerId: string) =>
  db.notificationOutbox.findMany({
    where: { kind: "budget.threshold_reached", dedupeKey: { startsWith: `budget:provider:${providerId}:` } },
    select: { id: true, payload: true },
    orderBy: { createdAt: "asc" },
  });
const thresholdsOf = (events: { payload: unknown }[]) =>
  events.map((event) => (event.payload as { threshold: number }).threshold).sort((a, b) => a - b);

beforeAll(async () => {
  fixture = await createUsageFixture();
  admin = await createActor("ADMIN");
});

describe("budget actions", () => {
  it("an admin sets, changes and removes a provider's budget, each audited", async () => {
    const created = await executeAction(setBudgetSpec, admin, { scope: fixture.providerId, monthlyAmount: "250" });
    expect(created).toMatchObject({ ok: true, message: "Budget created." });
    const changed = await executeAction(setBudgetSpec, admin, { scope: fixture.providerId, monthlyAmount: "300.50" });
    expect(changed).toMatchObject({
      ok: true,
      message: "Budget updated.",
      data: { id: created.data!.id, created: false },
    });
    const row = await db.budget.findUnique({
      where: { scope: fixture.providerId },
      select: { monthlyAmount: true, providerId: true },
    });
    expect([row?.monthlyAmount.toFixed(2), row?.providerId]).toEqual(["300.50", fixture.providerId]);
    const audit = await db.auditEvent.findMany({
      where: { targetId: created.data!.id },
      select: { action: true, details: true },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["budget.created", "budget.updated"]);
    expect(audit[1]!.details).toMatchObject({ before: "$250.00", after: "$300.50" });

    expect(await executeAction(deleteBudgetSpec, admin, { budgetId: created.data!.id })).toMatchObject({ ok: true });
    expect(await db.budget.count({ where: { scope: fixture.providerId } })).toBe(0);
    expect(await executeAction(deleteBudgetSpec, admin, { budgetId: created.data!.id })).toMatchObject({
      ok: false,
      message: "Budget was not found.",
    });
  });

  it("a budget is hard only when ticked: stored, shown in the statuses, and each change audited", async () => {
    const own = await createUsageFixture();
    const hardOf = async () =>
      (await db.budget.findUniqueOrThrow({ where: { scope: own.providerId }, select: { hard: true } })).hard;
    const created = await executeAction(setBudgetSpec, admin, {
      scope: own.providerId,
      monthlyAmount: "50",
      hard: "on",
    });
    expect(created).toMatchObject({ ok: true });
    expect(await hardOf()).toBe(true);
    expect((await loadBudgetStatuses()).find((status) => status.id === created.data!.id)).toMatchObject({
      hard: true,
      amount: "50.00",
    });
    // A form posts nothing for an unticked box: setting the budget again without it makes it soft.
    await executeAction(setBudgetSpec, admin, { scope: own.providerId, monthlyAmount: "50" });
    expect(await hardOf()).toBe(false);
    const audit = await db.auditEvent.findMany({
      where: { targetId: created.data!.id },
      select: { action: true, details: true },
      orderBy: { id: "asc" },
    });
    expect(audit.map((event) => [event.action, (event.details as { hard: unknown }).hard])).toEqual([
      ["budget.created", { before: null, after: true }],
      ["budget.updated", { before: true, after: false }],
    ]);
    const removed = await executeAction(deleteBudgetSpec, admin, { budgetId: created.data!.id });
    expect(removed).toMatchObject({ ok: true });
    expect(
      (await db.auditEvent.findFirstOrThrow({ where: { targetId: created.data!.id, action: "budget.deleted" } }))
        .details,
    ).toMatchObject({ hard: false });
  });

  it("refuses bad amounts and unknown providers with field errors or not found", async () => {
    for (const monthlyAmount of ["0", "-5", "12.345", "abc", ""]) {
      const result = await executeAction(setBudgetSpec, admin, { scope: "overall", monthlyAmount });
      expect(result.ok, monthlyAmount).toBe(false);
      expect(result.fieldErrors?.monthlyAmount, monthlyAmount).toBeDefined();
    }
    expect(
      await executeAction(setBudgetSpec, admin, { scope: "00000000-0000-4000-8000-000000000000", monthlyAmount: "10" }),
    ).toMatchObject({ ok: false, message: "Provider was not found." });
    expect(
      (await executeAction(setBudgetSpec, admin, { scope: "everything", monthlyAmount: "10" })).fieldErrors?.scope,
    ).toBeDefined();
  });

  for (const role of ["FINANCE", "VIEWER", null] as const) {
    it(`refuses ${role ?? "anonymous"} setting or removing budgets and changes nothing`, async () => {
      const existing = await executeAction(setBudgetSpec, admin, { scope: fixture.providerId, monthlyAmount: "100" });
      const actor = role ? await createActor(role) : null;
      const before = await db.budget.findMany({ orderBy: { id: "asc" } });
      const events = await db.auditEvent.count();
      expect((await executeAction(setBudgetSpec, actor, { scope: fixture.providerId, monthlyAmount: "999" })).ok).toBe(
        false,
      );
      expect((await executeAction(setBudgetSpec, actor, { scope: "overall", monthlyAmount: "999" })).ok).toBe(false);
      expect((await executeAction(deleteBudgetSpec, actor, { budgetId: existing.data!.id })).ok).toBe(false);
      expect(await db.budget.findMany({ orderBy: { id: "asc" } })).toEqual(before);
      expect(await db.auditEvent.count()).toBe(events);
      await executeAction(deleteBudgetSpec, admin, { budgetId: existing.data!.id });
    });
  }
});

// Budgets count the UTC month of `now`: records a few minutes before it (never before its day), and
// every read at the same `now`, so the pinned clock proves them two minutes into a month.
describe.each(CLOCKS)("budget thresholds %s", (_label, now) => {
  const recently = () => shortlyBefore(now, 5);
  // 1,000 uncached input × $2.50 + 0 output, per 1M tokens: $0.0025 per record at the current price.
  const spend = (target: UsageFixture, count: number) =>
    ingestBatch(
      Array.from({ length: count }, () =>
        wireRecord(target, { occurredAt: recently(), inputTokens: 1000, cachedInputTokens: 0, outputTokens: 0 }),
      ),
      target.tokenId,
    );

  it("shows month-to-date spend per provider with unpriced requests counted beside it", async () => {
    const own = await createUsageFixture();
    await ingestBatch(
      [
        wireRecord(own, { occurredAt: recently(), inputTokens: 1000, cachedInputTokens: 0, outputTokens: 0 }),
        wireRecord(own, { occurredAt: recently(), model: own.unpricedModel.modelId }),
      ],
      own.tokenId,
    );
    const spent = (await monthToDateSpend(now)).byProvider.get(own.providerId);
    expect(spent).toEqual({ cost: "0.0025000000", unpriced: 1 });
  });

  it("writes one event at 80 % and one at 100 %, once per month, even for concurrent checks", async () => {
    // A provider of its own per clock, so the other clock's records stay out of its month.
    const own = await createUsageFixture();
    const budget = await executeAction(setBudgetSpec, admin, { scope: own.providerId, monthlyAmount: "0.03" });
    const budgetId = budget.data!.id;
    const statusOf = async () => (await loadBudgetStatuses(now)).find((status) => status.id === budgetId)!;
    expect((await statusOf()).spent).toBe("0");

    // 10 records × $0.0025 = $0.025: 83 % of $0.03.
    await spend(own, 10);
    expect((await statusOf()).level).toBe(80);
    await Promise.all([checkBudgetThresholds(now), checkBudgetThresholds(now), checkBudgetThresholds(now)]);
    expect(thresholdsOf(await crossingEvents(own.providerId))).toEqual([80]);

    await spend(own, 2);
    const status = await statusOf();
    expect(status.level).toBe(100);
    await Promise.all([checkBudgetThresholds(now), checkBudgetThresholds(now)]);
    await checkBudgetThresholds(now);
    const events = await crossingEvents(own.providerId);
    expect(thresholdsOf(events)).toEqual([80, 100]);
    const hundred = events.find((event) => (event.payload as { threshold: number }).threshold === 100)!;
    expect(hundred.payload).toMatchObject({
      scope: `provider:${own.providerId}`,
      budget_usd: "0.03",
      spent_usd: "0.0300000000",
      month: status.month,
    });
    expect(await db.auditEvent.count({ where: { action: "notification.event", targetId: hundred.id } })).toBe(1);
    await executeAction(deleteBudgetSpec, admin, { budgetId });
  });

  it("announces both thresholds at once when spend jumps past 100 %", async () => {
    const own = await createUsageFixture();
    await executeAction(setBudgetSpec, admin, { scope: own.providerId, monthlyAmount: "0.01" });
    await ingestBatch(
      Array.from({ length: 5 }, () =>
        wireRecord(own, { occurredAt: recently(), inputTokens: 1000, cachedInputTokens: 0, outputTokens: 0 }),
      ),
      own.tokenId,
    );
    await checkBudgetThresholds(now);
    expect(thresholdsOf(await crossingEvents(own.providerId))).toEqual([80, 100]);
  });
});
