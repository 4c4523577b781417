import { beforeAll, describe, expect, it } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import { db } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/ingest-batch";
import { repriceUnpricedSpec } from "@/lib/usage/action-specs";
import { createActor } from "../support/actors";
import { createUsageFixture, reconcile, wireRecord, type UsageFixture } from "./ingest-support";

let fixture: UsageFixture;
beforeAll(async () => {
  fixture = await createUsageFixture();
});

describe("unpriced usage and repricing", () => {
  it("keeps unpriced records out of cost sums (never $0) and prices them when a price is added", async () => {
    const model = fixture.unpricedModel.modelId;
    const early = Array.from({ length: 3 }, () => wireRecord(fixture, { model, occurredAt: "2026-01-10T12:00:00Z" }));
    const late = Array.from({ length: 5 }, (_, i) =>
      wireRecord(fixture, { model, occurredAt: `2026-11-0${i + 1}T12:00:00Z` }),
    );
    const summary = await ingestBatch([...early, ...late], fixture.tokenId);
    expect(summary).toMatchObject({ created: 8, unpriced: 8 });

    const before = await reconcile(fixture.providerId);
    expect(before.raw.unpriced).toBe(8);
    expect(before.daily).toEqual(before.raw);
    const rollupRows = await db.usageRollupDaily.findMany({
      where: { modelId: fixture.unpricedModel.id },
      select: { costSum: true, unpricedCount: true },
    });
    expect(rollupRows.every((row) => row.unpricedCount > 0n && row.costSum.isZero())).toBe(true);

    // A price from 2026-06-01 covers the November records only.
    await db.modelPrice.create({
      data: {
        modelId: fixture.unpricedModel.id,
        inputPerMTok: "3",
        outputPerMTok: "15",
        effectiveFrom: new Date("2026-06-01T00:00:00Z"),
      },
    });
    const admin = await createActor("ADMIN");
    const result = await executeAction(repriceUnpricedSpec, admin, { modelId: fixture.unpricedModel.id });
    expect(result.ok).toBe(true);
    // 1200 input (200 cached, billed at the input rate: no cached price) × 3 + 300 × 15, per 1M: $0.0081 each.
    expect(result.data).toEqual({ repriced: 5, cost: "0.0405000000", stillUnpriced: 3 });
    expect(result.message).toMatch(/5 record\(s\) priced.*3 remain unpriced/);

    const after = await reconcile(fixture.providerId);
    expect(after.raw.unpriced).toBe(3);
    expect(after.hourly).toEqual(after.raw);
    expect(after.daily).toEqual(after.raw);
    const audit = await db.auditEvent.findFirst({
      where: { action: "usage.repriced", targetId: fixture.unpricedModel.id },
      select: { details: true },
    });
    expect(audit?.details).toMatchObject({ repriced: 5 });

    const again = await executeAction(repriceUnpricedSpec, admin, { modelId: fixture.unpricedModel.id });
    expect(again.data).toMatchObject({ repriced: 0, stillUnpriced: 3 });
  });

  it("refuses repricing to finance and viewers and changes nothing", async () => {
    const model = fixture.unpricedModel.modelId;
    await ingestBatch([wireRecord(fixture, { model, occurredAt: "2026-01-11T12:00:00Z" })], fixture.tokenId);
    for (const role of ["FINANCE", "VIEWER"] as const) {
      const before = await reconcile(fixture.providerId);
      const result = await executeAction(repriceUnpricedSpec, await createActor(role), {
        modelId: fixture.unpricedModel.id,
      });
      expect(result.ok).toBe(false);
      expect(await reconcile(fixture.providerId)).toEqual(before);
    }
  });

  it("answers an unknown model with a not-found message", async () => {
    const result = await executeAction(repriceUnpricedSpec, await createActor("ADMIN"), {
      modelId: "00000000-0000-4000-8000-000000000000",
    });
    expect(result).toMatchObject({ ok: false, message: "Model was not found." });
  });
});

describe("adding a price through the model page's action", () => {
  it("prices the model's unpriced records in the same action and reports the count", async () => {
    const { addPriceSpec } = await import("@/lib/providers/price-specs");
    const probe = await createUsageFixture();
    const records = Array.from({ length: 4 }, () =>
      wireRecord(probe, { model: probe.unpricedModel.modelId, occurredAt: "2026-11-02T12:00:00Z" }),
    );
    expect(await ingestBatch(records, probe.tokenId)).toMatchObject({ created: 4, unpriced: 4 });
    const result = await executeAction(addPriceSpec, await createActor("ADMIN"), {
      providerId: probe.providerId,
      id: probe.unpricedModel.id,
      inputPrice: "3",
      outputPrice: "15",
      cachedInputPrice: "",
      effectiveFrom: "2026-10-01",
    });
    expect(result).toMatchObject({ ok: true, data: { repriced: 4, stillUnpriced: 0 } });
    expect(result.message).toMatch(/4 unpriced usage record\(s\) are now priced/);
    const after = await reconcile(probe.providerId);
    expect(after.raw.unpriced).toBe(0);
    expect(after.daily).toEqual(after.raw);
    expect(after.hourly).toEqual(after.raw);
  });
});
