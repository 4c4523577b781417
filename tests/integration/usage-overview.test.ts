import { beforeAll, describe, expect, it } from "vitest";
import { ingestBatch } from "@/lib/ingest/ingest-batch";
import { loadLatencyGroups } from "@/lib/usage/latency-series";
import { monthToDateSpend, recentHealth, topModelsThisMonth } from "@/lib/usage/overview";
import { CLOCKS, shortlyBefore } from "../support/clock";
import { createUsageFixture, wireRecord, type UsageFixture } from "./ingest-support";

// The overview widgets' numbers. The database is shared with other files, so this checks this
// file's own provider and models, and that the totals include them. Each clock gets its own
// provider; the pinned one proves the figures hold two minutes into a UTC month.

describe.each(CLOCKS)("overview numbers %s", (_label, now) => {
  let fixture: UsageFixture;
  const recently = (minutes: number) => shortlyBefore(now, minutes);

  beforeAll(async () => {
    fixture = await createUsageFixture();
    await ingestBatch(
      [
        // $1,000 of input at $2.50 per 1M tokens: enough to top the month's model list.
        ...Array.from({ length: 4 }, (_, i) =>
          wireRecord(fixture, {
            occurredAt: recently(5 + i),
            inputTokens: 100_000_000,
            cachedInputTokens: 0,
            outputTokens: 0,
            latencyMs: 100 * (i + 1),
          }),
        ),
        wireRecord(fixture, {
          occurredAt: recently(3),
          model: fixture.unpricedModel.modelId,
          latencyMs: 500,
          status: "error",
          errorClass: "timeout",
        }),
      ],
      fixture.tokenId,
    );
  });

  it("month-to-date spend counts unpriced requests beside the money", async () => {
    const spend = await monthToDateSpend(now);
    expect(spend.byProvider.get(fixture.providerId)).toEqual({ cost: "1000.0000000000", unpriced: 1 });
    expect(Number(spend.total.cost)).toBeGreaterThanOrEqual(1000);
    expect(spend.total.unpriced).toBeGreaterThanOrEqual(1);
  });

  it("top models by spend this month include this file's priced model, biggest first", async () => {
    const top = await topModelsThisMonth(5, now);
    expect(top.find((row) => row.seriesId === fixture.pricedModel.id)).toEqual({
      seriesId: fixture.pricedModel.id,
      cost: "1000.0000000000",
      unpriced: 0,
      estimated: 0,
      requests: 4,
    });
    const costs = top.map((row) => Number(row.cost));
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
  });

  it("the last 24 hours' p95 and error rate include this provider's requests", async () => {
    const health = await recentHealth(now);
    expect(health.requests).toBeGreaterThanOrEqual(5);
    expect(health.errors).toBeGreaterThanOrEqual(1);
    expect(health.p95).not.toBeNull();
    const [own] = await loadLatencyGroups({
      from: health.since,
      to: new Date(now.getTime() + 3_600_000),
      granularity: "all",
      groupBy: "provider",
      providerId: fixture.providerId,
    });
    expect(own).toMatchObject({ requests: 5, errors: 1, errorsByClass: { timeout: 1 } });
  });
});
