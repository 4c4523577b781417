import { describe, expect, it, beforeAll } from "vitest";
import { randomUUID } from "node:crypto";
import { POST } from "@/app/api/v1/usage/route";
import { db } from "@/lib/db/client";
import { createUsageFixture, reconcile, wireRecord, type UsageFixture, type WireRecord } from "./ingest-support";

type IngestResponse = {
  ok: boolean;
  created: number;
  duplicates: number;
  errors: number;
  unpriced: number;
  results: { index: number; id: string | null; status: string; errors?: Record<string, string[]> }[];
};

function post(token: string | null, body: string | object, headers: Record<string, string> = {}) {
  return POST(
    new Request("http://localhost/api/v1/usage", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

async function send(fixture: UsageFixture, records: WireRecord[]): Promise<IngestResponse> {
  const response = await post(fixture.token, { records });
  expect(response.status).toBe(200);
  return (await response.json()) as IngestResponse;
}

let fixture: UsageFixture;
beforeAll(async () => {
  fixture = await createUsageFixture();
});

describe("POST /api/v1/usage", () => {
  it("stores a batch, prices it with the price in force at occurred_at, and keeps rollups equal to raw rows", async () => {
    const records = [
      wireRecord(fixture),
      wireRecord(fixture, { occurredAt: "2026-03-01T08:00:00Z" }),
      wireRecord(fixture, {
        status: "error",
        errorClass: "Rate_Limit",
        httpStatus: 429,
        outputTokens: 0,
        ttftMs: null,
      }),
    ];
    const summary = await send(fixture, records);
    expect(summary).toMatchObject({ ok: true, created: 3, duplicates: 0, errors: 0, unpriced: 0 });
    const rows = await db.usageRecord.findMany({
      where: { providerId: fixture.providerId },
      select: { clientRecordId: true, cost: true, priced: true, errorClass: true },
    });
    const byId = new Map(rows.map((row) => [row.clientRecordId, row]));
    // 1000 uncached × 2.5 + 200 cached × 1.25 + 300 × 10, per million tokens.
    expect(byId.get(records[0]!.id as string)?.cost?.toFixed(10)).toBe("0.0057500000");
    // Before 2026-06-01 the older price applies, with no cached rate: 1200 × 1 + 300 × 2.
    expect(byId.get(records[1]!.id as string)?.cost?.toFixed(10)).toBe("0.0018000000");
    expect(byId.get(records[2]!.id as string)?.errorClass).toBe("rate_limit");
    const totals = await reconcile(fixture.providerId);
    expect(totals.hourly).toEqual(totals.raw);
    expect(totals.daily).toEqual(totals.raw);
  });

  it("treats a replayed batch as duplicates and changes nothing", async () => {
    const records = [wireRecord(fixture), wireRecord(fixture, { tag: "search" })];
    await send(fixture, records);
    const before = await reconcile(fixture.providerId);
    const replay = await send(fixture, records);
    expect(replay).toMatchObject({ created: 0, duplicates: 2, errors: 0 });
    expect(replay.results.map((r) => r.status)).toEqual(["duplicate", "duplicate"]);
    expect(await reconcile(fixture.providerId)).toEqual(before);
  });

  it("stores concurrent identical batches exactly once", async () => {
    const before = await reconcile(fixture.providerId);
    const records = Array.from({ length: 200 }, (_, i) =>
      wireRecord(fixture, { latencyMs: 100 + i, tag: `t${i % 3}` }),
    );
    const answers = await Promise.all([
      send(fixture, records),
      send(fixture, records),
      send(fixture, [...records].reverse()),
    ]);
    expect(answers.reduce((sum, a) => sum + a.created, 0)).toBe(200);
    expect(answers.reduce((sum, a) => sum + a.duplicates, 0)).toBe(400);
    const after = await reconcile(fixture.providerId);
    expect(after.raw.requests - before.raw.requests).toBe(200);
    expect(after.hourly).toEqual(after.raw);
    expect(after.daily).toEqual(after.raw);
  });

  it("stores the valid records of a partly invalid batch and reports each bad one", async () => {
    const good = wireRecord(fixture);
    const summary = await send(fixture, [
      good,
      wireRecord(fixture, { inputTokens: -1 }),
      wireRecord(fixture, { model: "no-such-model" }),
      wireRecord(fixture, { provider: "no-such-provider" }),
      { occurredAt: "yesterday" },
      wireRecord(fixture, { cachedInputTokens: 5000 }),
      good,
    ]);
    expect(summary).toMatchObject({ ok: false, created: 1, duplicates: 1, errors: 5 });
    const statuses = summary.results.map((r) => [r.index, r.status]);
    expect(statuses).toEqual([
      [0, "created"],
      [1, "error"],
      [2, "error"],
      [3, "error"],
      [4, "error"],
      [5, "error"],
      [6, "duplicate"],
    ]);
    expect(summary.results[1]!.errors?.inputTokens).toBeDefined();
    expect(summary.results[2]!.errors?.model?.[0]).toMatch(/Unknown model/);
    expect(summary.results[3]!.errors?.provider?.[0]).toMatch(/Unknown provider/);
    expect(summary.results[4]).toMatchObject({ id: null, status: "error" });
    expect(summary.results[5]!.errors?.cachedInputTokens).toBeDefined();
  });

  it("accepts the provider and model by console id too", async () => {
    const summary = await send(fixture, [
      wireRecord(fixture, { provider: fixture.providerId, model: fixture.pricedModel.id }),
    ]);
    expect(summary.created).toBe(1);
  });

  it("stores a record whose model has no price as unpriced: cost NULL, never 0", async () => {
    const record = wireRecord(fixture, { model: fixture.unpricedModel.modelId });
    const summary = await send(fixture, [record]);
    expect(summary).toMatchObject({ created: 1, unpriced: 1 });
    expect(summary.results[0]).toMatchObject({ status: "created", unpriced: true });
    const row = await db.usageRecord.findFirst({
      where: { clientRecordId: record.id as string },
      select: { cost: true, priced: true },
    });
    expect(row).toEqual({ cost: null, priced: false });
  });

  it("answers 401 for a missing, malformed, unknown or revoked token and stores nothing", async () => {
    const id = randomUUID();
    const body = { records: [wireRecord(fixture, { id })] };
    expect((await post(null, body)).status).toBe(401);
    expect((await post("not-a-token", body)).status).toBe(401);
    expect((await post(`pcu_${"A".repeat(43)}`, body)).status).toBe(401);
    const revoked = await createUsageFixture();
    await db.ingestToken.update({ where: { id: revoked.tokenId }, data: { revokedAt: new Date() } });
    expect((await post(revoked.token, body)).status).toBe(401);
    expect(await db.usageRecord.count({ where: { clientRecordId: id } })).toBe(0);
  });

  it("answers 413 for an oversized body, declared or not", async () => {
    const padding = "x".repeat(2 * 1024 * 1024 + 10);
    const response = await post(fixture.token, JSON.stringify({ records: [wireRecord(fixture, { tag: padding })] }));
    expect(response.status).toBe(413);
    const declared = await post(fixture.token, "{}", { "content-length": String(3 * 1024 * 1024) });
    expect(declared.status).toBe(413);
  });

  it("answers 400 for a malformed body or too many records", async () => {
    expect((await post(fixture.token, "{not json")).status).toBe(400);
    expect((await post(fixture.token, { records: [] })).status).toBe(400);
    const tooMany = Array.from({ length: 1001 }, () => wireRecord(fixture));
    const response = await post(fixture.token, { records: tooMany });
    expect(response.status).toBe(400);
  });
});
