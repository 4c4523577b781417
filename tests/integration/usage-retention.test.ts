import { beforeAll, describe, expect, it } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import { db } from "@/lib/db/client";
import { ingestBatch } from "@/lib/ingest/ingest-batch";
import { deleteRawRecordsBefore, getRetentionSettings } from "@/lib/usage/retention";
import { runRetentionSpec, setRetentionSpec } from "@/lib/usage/retention-action-specs";
import { createActor } from "../support/actors";
import { createUsageFixture, reconcile, wireRecord, type UsageFixture } from "./ingest-support";

// Records from 2019 (older than anything other test files write) are deleted; the rollups keep
// every total. The database is shared, so cutoffs stay in 2019-2020.

let fixture: UsageFixture;
const DAY = 86_400_000;
const daysSince = (iso: string) => Math.ceil((Date.now() - Date.parse(iso)) / DAY);
const rawCount = () => db.usageRecord.count({ where: { providerId: fixture.providerId } });

beforeAll(async () => {
  fixture = await createUsageFixture();
  const old = Array.from({ length: 12 }, (_, i) =>
    wireRecord(fixture, { occurredAt: new Date(Date.UTC(2019, 5, 1 + i)).toISOString() }),
  );
  const recent = Array.from({ length: 3 }, () => wireRecord(fixture, { occurredAt: "2026-11-20T10:00:00Z" }));
  await ingestBatch([...old, ...recent], fixture.tokenId);
});

describe("raw-record retention", () => {
  it("deletes in batches and stops where told, reporting whether it finished", async () => {
    const partial = await deleteRawRecordsBefore(new Date("2019-06-05T00:00:00Z"), { batchSize: 2, maxBatches: 1 });
    expect(partial).toMatchObject({ deleted: 2, batches: 1, finished: false });
    const rest = await deleteRawRecordsBefore(new Date("2019-06-05T00:00:00Z"), { batchSize: 2 });
    // The rest of this file's 4 before June 5th (and any other file's pre-June-2019 rows: the
    // cutoff is global), then a short batch says it is done.
    expect(rest.finished).toBe(true);
    expect(rest.deleted).toBeGreaterThanOrEqual(2);
    expect(await rawCount()).toBe(11);
  });

  it("an admin run deletes old raw records only; the rollups keep the history", async () => {
    const rollupsBefore = await reconcile(fixture.providerId);
    const admin = await createActor("ADMIN");
    const result = await executeAction(runRetentionSpec, admin, {
      olderThanDays: String(daysSince("2020-01-01T00:00:00Z")),
    });
    // At least this file's 8 (another file's pre-2020 rows would go too: the cutoff is global).
    expect(result).toMatchObject({ ok: true, data: { finished: true } });
    expect(result.data!.deleted).toBeGreaterThanOrEqual(8);
    expect(result.message).toMatch(/raw record\(s\) older than 2019-12-3\d deleted; rollups keep their totals\./);
    expect(await rawCount()).toBe(3);
    const after = await reconcile(fixture.providerId);
    expect(after.daily).toEqual(rollupsBefore.daily);
    expect(after.hourly).toEqual(rollupsBefore.hourly);
    const audit = await db.auditEvent.findFirst({
      where: { action: "usage.retention_run", actorId: admin.id },
      select: { details: true },
    });
    expect(audit?.details).toMatchObject({
      deleted: result.data!.deleted,
      olderThanDays: daysSince("2020-01-01T00:00:00Z"),
    });
  });

  it("an admin sets the retention period or clears it, audited; bad values are field errors", async () => {
    const admin = await createActor("ADMIN");
    expect(await executeAction(setRetentionSpec, admin, { retentionDays: "400" })).toMatchObject({
      ok: true,
      message: "Raw records are kept for 400 days.",
    });
    expect((await getRetentionSettings()).retentionDays).toBe(400);
    expect(await executeAction(setRetentionSpec, admin, { retentionDays: "" })).toMatchObject({
      ok: true,
      message: "Raw records are kept forever.",
    });
    expect((await getRetentionSettings()).retentionDays).toBeNull();
    for (const retentionDays of ["0", "-3", "2.5", "many", "99999"]) {
      expect(
        (await executeAction(setRetentionSpec, admin, { retentionDays })).fieldErrors?.retentionDays,
        retentionDays,
      ).toBeDefined();
    }
    expect(
      (await executeAction(runRetentionSpec, admin, { olderThanDays: "0" })).fieldErrors?.olderThanDays,
    ).toBeDefined();
    const audit = await db.auditEvent.findMany({
      where: { action: "usage.retention_set", actorId: admin.id },
      select: { details: true },
      orderBy: { id: "asc" },
    });
    // The first "before" is whatever an earlier file left (the setting is a shared singleton).
    expect(audit.map((a) => (a.details as { after: number | null }).after)).toEqual([400, null]);
    expect(audit[1]!.details).toEqual({ before: 400, after: null });
  });

  for (const role of ["FINANCE", "VIEWER", null] as const) {
    it(`refuses ${role ?? "anonymous"} changing or running retention and deletes nothing`, async () => {
      await ingestBatch([wireRecord(fixture, { occurredAt: "2019-07-01T00:00:00Z" })], fixture.tokenId);
      const actor = role ? await createActor(role) : null;
      const before = {
        raw: await rawCount(),
        settings: await db.usageSettings.findMany(),
        events: await db.auditEvent.count(),
      };
      expect(
        (await executeAction(runRetentionSpec, actor, { olderThanDays: String(daysSince("2020-01-01T00:00:00Z")) })).ok,
      ).toBe(false);
      expect((await executeAction(setRetentionSpec, actor, { retentionDays: "30" })).ok).toBe(false);
      expect({
        raw: await rawCount(),
        settings: await db.usageSettings.findMany(),
        events: await db.auditEvent.count(),
      }).toEqual(before);
    });
  }
});
