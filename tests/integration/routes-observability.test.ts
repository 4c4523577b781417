import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { executeAction } from "@/lib/actions/define-action";
import type { Actor } from "@/lib/auth/session";
import { db, pool } from "@/lib/db/client";
import { returnToRotationSpec } from "@/lib/keys/action-specs";
import { keysOutOfRotation, listProviderKeys } from "@/lib/keys/queries";
import { routeRollups } from "@/lib/routes/latency-query";
import { getRequestDetail } from "@/lib/usage/request-detail";
import { recordUsage, type UsageInput } from "@/lib/usage/record-usage";
import { parseSpendParams } from "@/lib/usage/spend-params";
import { buildSpendReport } from "@/lib/usage/spend-report";
import { createActor } from "../support/actors";
import { dbFingerprint } from "../support/db-fingerprint";
import { createUsageFixture, type UsageFixture } from "./ingest-support";

// What the console shows about routing: a gateway request's attempts, keys taken out of rotation,
// and the cache's savings on the spend page, reconciled with the usage records they come from.

const DAY = "2026-10-21";
const suffix = () => randomUUID().slice(0, 8);
let fixture: UsageFixture;
let admin: Actor;
let routeId: string;

function gatewayRecord(clientRecordId: string, minute: number, fields: Partial<UsageInput> = {}): UsageInput {
  return {
    clientRecordId,
    occurredAt: new Date(`${DAY}T10:${String(minute).padStart(2, "0")}:00.000Z`),
    providerId: fixture.providerId,
    modelId: fixture.pricedModel.id,
    keyId: null,
    tag: "",
    inputTokens: 1000,
    cachedInputTokens: 0,
    outputTokens: 100,
    latencyMs: 400,
    ttftMs: null,
    status: "OK",
    errorClass: null,
    httpStatus: 200,
    routeId,
    ...fields,
  };
}

// The price in force on DAY (ingest-support): $2.50 per million input tokens, $10 per million output.
// In units of 1e-10 USD (the scale usage_records.cost keeps): exact for these prices.
const costUnits = (input: number, output: number) => BigInt(input) * 25_000n + BigInt(output) * 100_000n;
const usd = (units: bigint) => `${units / 10_000_000_000n}.${(units % 10_000_000_000n).toString().padStart(10, "0")}`;

beforeAll(async () => {
  fixture = await createUsageFixture();
  admin = await createActor("ADMIN");
  const route = await db.route.create({ data: { name: `obs-${suffix()}` }, select: { id: true } });
  routeId = route.id;
});

describe("request detail", () => {
  test("a gateway request's record and its attempts in order, with target names and key last 4", async () => {
    const requestId = `req-${suffix()}`;
    const backup = await db.model.create({
      data: { providerId: fixture.providerId, modelId: `backup-${suffix()}`, displayName: "Backup" },
      select: { id: true, modelId: true },
    });
    await recordUsage([gatewayRecord(requestId, 1, { modelId: backup.id, latencyMs: 1900, ttftMs: 300 })], {
      source: "GATEWAY",
    });
    const started = new Date(`${DAY}T10:01:00.000Z`);
    // Inserted out of order: the page orders by attempt.
    await db.gatewayAttempt.createMany({
      data: [
        {
          requestId,
          attempt: 3,
          providerId: fixture.providerId,
          modelId: backup.id,
          keyLast4: "cccc",
          httpStatus: 200,
          latencyMs: 700,
          startedAt: new Date(started.getTime() + 1200),
        },
        {
          requestId,
          attempt: 1,
          providerId: fixture.providerId,
          modelId: fixture.pricedModel.id,
          keyLast4: "aaaa",
          httpStatus: 429,
          errorClass: "rate_limit",
          latencyMs: 120,
          startedAt: started,
        },
        {
          requestId,
          attempt: 2,
          providerId: fixture.providerId,
          modelId: fixture.pricedModel.id,
          keyLast4: "bbbb",
          httpStatus: null,
          errorClass: "timeout",
          latencyMs: 1000,
          startedAt: new Date(started.getTime() + 150),
        },
        // Another request's attempt is not this one's.
        {
          requestId: `${requestId}-other`,
          attempt: 1,
          providerId: fixture.providerId,
          latencyMs: 5,
          startedAt: started,
        },
      ],
    });
    const detail = await getRequestDetail(requestId);
    expect(detail?.record).toMatchObject({
      requestId,
      providerName: fixture.providerName,
      modelName: backup.modelId,
      latencyMs: 1900,
      ttftMs: 300,
      status: "OK",
      cached: false,
      // The backup model has no price: unpriced, never $0.
      cost: null,
      priced: false,
    });
    expect(
      detail!.attempts.map((a) => [a.attempt, a.modelName, a.keyLast4, a.httpStatus, a.errorClass, a.latencyMs]),
    ).toEqual([
      [1, fixture.pricedModel.modelId, "aaaa", 429, "rate_limit", 120],
      [2, fixture.pricedModel.modelId, "bbbb", null, "timeout", 1000],
      [3, backup.modelId, "cccc", 200, null, 700],
    ]);
  });

  test("a direct call's one attempt is read from its record; a request that reached no provider has none", async () => {
    const key = await db.providerKey.create({
      data: {
        providerId: fixture.providerId,
        label: `direct-${suffix()}`,
        ciphertext: "not-a-real-envelope",
        masterKeyId: "test",
        last4: "dddd",
        fingerprint: `fp-${suffix()}`,
      },
      select: { id: true },
    });
    const direct = `req-${suffix()}`;
    const refused = `req-${suffix()}`;
    await recordUsage(
      [
        gatewayRecord(direct, 3, { routeId: null, keyId: key.id, latencyMs: 250, httpStatus: 200 }),
        gatewayRecord(refused, 4, {
          routeId: null,
          status: "ERROR",
          errorClass: "rate_limit_exceeded",
          httpStatus: 429,
        }),
      ],
      { source: "GATEWAY" },
    );
    const detail = await getRequestDetail(direct);
    expect(detail!.attempts).toEqual([
      {
        attempt: 1,
        providerName: expect.any(String),
        modelName: fixture.pricedModel.modelId,
        keyLast4: "dddd",
        httpStatus: 200,
        errorClass: null,
        latencyMs: 250,
        startedAt: new Date(`${DAY}T10:02:59.750Z`),
      },
    ]);
    expect((await getRequestDetail(refused))!.attempts).toEqual([]);
  });

  test("only gateway records have a detail page; unknown and malformed ids are a miss", async () => {
    const ingested = `ing-${suffix()}`;
    await recordUsage([gatewayRecord(ingested, 2, { routeId: null })], { source: "INGEST" });
    expect(await getRequestDetail(ingested)).toBeNull();
    expect(await getRequestDetail(`nope-${suffix()}`)).toBeNull();
    expect(await getRequestDetail("has space")).toBeNull();
    expect(await getRequestDetail("")).toBeNull();
  });
});

describe("returning a key to the gateway's rotation", () => {
  async function outOfRotationKey() {
    const key = await db.providerKey.create({
      data: {
        providerId: fixture.providerId,
        label: `rot-${suffix()}`,
        ciphertext: "v1:not-a-real-envelope",
        masterKeyId: "test",
        last4: "wxyz",
        fingerprint: randomUUID().replace(/-/g, ""),
        outOfRotationAt: new Date("2026-12-01T09:30:00Z"),
        outOfRotationReason: "401 Unauthorized",
      },
      select: { id: true },
    });
    return key.id;
  }

  test("the key is flagged on its provider and counted for the overview until an admin returns it (audited)", async () => {
    const keyId = await outOfRotationKey();
    const listed = (await listProviderKeys(fixture.providerId, "VIEWER")).find((key) => key.id === keyId);
    expect(listed).toMatchObject({
      outOfRotationAt: new Date("2026-12-01T09:30:00Z"),
      outOfRotationReason: "401 Unauthorized",
    });
    const counted = (await keysOutOfRotation()).find((row) => row.providerId === fixture.providerId);
    expect(counted?.keys).toBeGreaterThanOrEqual(1);
    const before = counted!.keys;

    const result = await executeAction(returnToRotationSpec, admin, { keyId });
    expect(result).toMatchObject({ ok: true, data: { providerId: fixture.providerId } });
    const row = await db.providerKey.findUniqueOrThrow({ where: { id: keyId } });
    expect([row.outOfRotationAt, row.outOfRotationReason]).toEqual([null, null]);
    const after = (await keysOutOfRotation()).find((r) => r.providerId === fixture.providerId)?.keys ?? 0;
    expect(after).toBe(before - 1);
    const audit = await db.auditEvent.findMany({ where: { targetType: "provider_key", targetId: keyId } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "key.returned_to_rotation",
      actorId: admin.id,
      details: {
        providerId: fixture.providerId,
        reason: "401 Unauthorized",
        outOfRotationAt: "2026-12-01T09:30:00.000Z",
      },
    });
    expect(JSON.stringify(audit[0]!.details)).not.toContain("not-a-real-envelope");

    const again = await executeAction(returnToRotationSpec, admin, { keyId });
    expect(again).toMatchObject({ ok: false, message: "This key is already in the gateway's rotation." });
  });

  test("FINANCE and VIEWER are refused and the key stays out of rotation", async () => {
    const keyId = await outOfRotationKey();
    const actors = [await createActor("FINANCE"), await createActor("VIEWER")];
    const before = await dbFingerprint();
    for (const actor of actors) {
      const result = await executeAction(returnToRotationSpec, actor, { keyId });
      expect(result).toMatchObject({ ok: false, message: "Your role does not allow this action." });
    }
    expect(await dbFingerprint()).toBe(before);
    const row = await db.providerKey.findUniqueOrThrow({ where: { id: keyId } });
    expect(row.outOfRotationReason).toBe("401 Unauthorized");
  });
});

describe("money saved by the cache", () => {
  test("the spend page's savings equal the cached records' saved_cost, and a hit costs 0", async () => {
    const { id: savingsProvider } = await db.provider.create({
      data: { name: `savings-${suffix()}`, kind: "openai", baseUrl: "https://api.savings.example/v1" },
      select: { id: true },
    });
    const model = await db.model.create({
      data: { providerId: savingsProvider, modelId: `saver-${suffix()}`, displayName: "Saver" },
      select: { id: true },
    });
    await db.modelPrice.create({
      data: {
        modelId: model.id,
        inputPerMTok: "2.5",
        outputPerMTok: "10",
        effectiveFrom: new Date("2026-01-01T00:00:00Z"),
      },
    });
    const sizes = [
      [1000, 100],
      [2000, 50],
      [333, 7],
      [12_345, 678],
    ] as const;
    const cachedIds = sizes.map(() => `hit-${suffix()}`);
    const missId = `miss-${suffix()}`;
    await recordUsage(
      [
        ...sizes.map(([input, output], index) =>
          gatewayRecord(cachedIds[index]!, 10 + index, {
            providerId: savingsProvider,
            modelId: model.id,
            inputTokens: input,
            outputTokens: output,
            cached: true,
          }),
        ),
        gatewayRecord(missId, 20, { providerId: savingsProvider, modelId: model.id }),
      ],
      { source: "GATEWAY" },
    );
    const expectedSaved = sizes.reduce((sum, [input, output]) => sum + costUnits(input, output), 0n);

    const { rows } = await pool.query<{ cost: string; saved_cost: string | null; cached: boolean }>(
      `SELECT cost::text, saved_cost::text, cached FROM usage_records WHERE source = 'GATEWAY' AND client_record_id = ANY($1)`,
      [cachedIds],
    );
    expect(rows).toHaveLength(4);
    expect(rows.every((row) => row.cached && Number(row.cost) === 0)).toBe(true);
    const [{ sum }] = (
      await pool.query<{ sum: string }>(
        `SELECT sum(saved_cost)::text AS sum FROM usage_records WHERE provider_id = $1 AND cached`,
        [savingsProvider],
      )
    ).rows as [{ sum: string }];
    expect(sum).toBe(usd(expectedSaved));

    const report = await buildSpendReport(parseSpendParams({ from: DAY, to: DAY, provider: savingsProvider }));
    expect(report.savings.cachedAnswers).toBe(4);
    expect(report.savings.saved).toBe(usd(expectedSaved));
    expect(report.savings.saved).toBe(sum);
    // The miss is the only spend: the hits cost nothing.
    expect(report.total.cost).toBe(usd(costUnits(1000, 100)));

    // Another day's range has no savings.
    const elsewhere = await buildSpendReport(
      parseSpendParams({ from: "2026-10-01", to: "2026-10-02", provider: savingsProvider }),
    );
    expect(elsewhere.savings).toEqual({ saved: "0.0000000000", cachedAnswers: 0 });
  });
});

describe("the route's latency comparison reads its hourly rollups", () => {
  test("requests, errors and latency sums per target and hour, for this route only", async () => {
    const other = await db.route.create({ data: { name: `obs-other-${suffix()}` }, select: { id: true } });
    await recordUsage(
      [
        gatewayRecord(`lat-${suffix()}`, 30, { latencyMs: 100, ttftMs: 40 }),
        gatewayRecord(`lat-${suffix()}`, 31, {
          latencyMs: 300,
          status: "ERROR",
          errorClass: "server_error",
          httpStatus: 500,
        }),
        gatewayRecord(`lat-${suffix()}`, 32, { latencyMs: 999, routeId: other.id }),
      ],
      { source: "GATEWAY" },
    );
    const rows = await routeRollups(routeId, new Date(`${DAY}T10:00:00Z`));
    const mine = rows.filter((row) => row.targetKey === `${fixture.providerId}:${fixture.pricedModel.id}`);
    const tenOclock = mine.find((row) => row.bucket.toISOString() === `${DAY}T10:00:00.000Z`);
    // Earlier tests in this file wrote this route's other records at 10:01 (detail) — on another model.
    expect(tenOclock).toMatchObject({ requests: 2, errors: 1, latencySumMs: 400, ttftCount: 1, ttftSumMs: 40 });
  });
});
