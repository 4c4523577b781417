import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { executeAction } from "@/lib/actions/define-action";
import { db, pool } from "@/lib/db/client";
import { revokeGatewayKeySpec, rotateGatewayKeySpec } from "@/lib/gateway-keys/action-specs";
import { rotateKeySpec } from "@/lib/keys/action-specs";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import type { GatewayProcess } from "../support/gateway-process";
import { letters, seedProvider, type Seeded } from "./test-calls-support";
import { providerSlug, seedGatewayKey } from "./gateway-support";
import { chat, recordCount, startGateways, waitFor, type GatewayAnswer } from "./gateway-load-support";

// Key changes reach every gateway instance while they run: two processes over one database, each
// with its own key cache. Revocation is the "within a second" on both; rotation grace,
// expiry and address allow-lists are checked on both as well.

let fake: FakeProvider;
let admin: Actor;
let gateways: GatewayProcess[] = [];
let model = "";
const UPSTREAM = `fake-${letters()}`;

beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  const seeded = await seedProvider(admin, fake.url, "openai", { model: UPSTREAM });
  model = `${await providerSlug(seeded.providerId)}/${UPSTREAM}`;
  gateways = await startGateways(2);
}, 180_000);

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await fake?.close();
});

const call = (gateway: GatewayProcess, key: string, target = model) => chat(gateway.url, key, target);

async function expectEveryGateway(key: string, status: number, code: string | null = null) {
  for (const gateway of gateways) {
    const answer = await call(gateway, key);
    expect({ port: gateway.port, status: answer.status, code: answer.code }).toEqual({
      port: gateway.port,
      status,
      code,
    });
  }
}

/**
 * Polls one gateway until the key is refused as `code`: the milliseconds from `since` to when the
 * first refused request was sent (its answer's own latency on a busy machine is not the cache's).
 */
async function refusedAfter(gateway: GatewayProcess, key: string, code: string, since: number): Promise<number> {
  let sentAt = 0;
  const answer = await waitFor(
    `gateway ${gateway.port} to refuse the key`,
    () => {
      sentAt = Date.now();
      return call(gateway, key);
    },
    (a: GatewayAnswer) => a.status === 401,
    5_000,
  );
  expect(answer.code).toBe(code);
  return sentAt - since;
}

describe("gateway keys change live on every instance", () => {
  it("revoking a key (as the console does) is refused by every instance within a second", async () => {
    const key = await seedGatewayKey();
    await expectEveryGateway(key.key, 200);
    const revoked = await executeAction(revokeGatewayKeySpec, admin, { gatewayKeyId: key.id, confirm: "on" });
    expect(revoked.ok, revoked.message).toBe(true);
    const since = Date.now();
    const elapsed = await Promise.all(
      gateways.map((gateway) => refusedAfter(gateway, key.key, "revoked_api_key", since)),
    );
    for (const ms of elapsed) expect(ms).toBeLessThanOrEqual(1000);
    const row = await db.gatewayKey.findUniqueOrThrow({
      where: { id: key.id },
      select: { status: true, revokedAt: true },
    });
    expect(row.status).toBe("REVOKED");
    expect(row.revokedAt).not.toBeNull();
  });

  it("a rotated key keeps working until its grace period ends, then is refused; its replacement works", async () => {
    const key = await seedGatewayKey();
    await expectEveryGateway(key.key, 200);
    const rotated = await executeAction(rotateGatewayKeySpec, admin, {
      gatewayKeyId: key.id,
      grace: "custom",
      graceMinutes: 1,
    });
    expect(rotated.ok, rotated.message).toBe(true);
    const replacement = (rotated.data as { key: string }).key;
    const old = await db.gatewayKey.findUniqueOrThrow({ where: { id: key.id }, select: { retiresAt: true } });
    expect(old.retiresAt!.getTime()).toBeGreaterThan(Date.now());
    await expectEveryGateway(replacement, 200);
    await expectEveryGateway(key.key, 200);
    // The grace's minute, shortened: the grace end moves 1.5 s ahead (as a change the caches see).
    const { rows } = await pool.query<{ retires_at: Date }>(
      `UPDATE gateway_keys SET retires_at = now() + interval '1500 milliseconds', updated_at = now()
        WHERE id = $1::uuid RETURNING retires_at`,
      [key.id],
    );
    const retiresAt = rows[0]!.retires_at.getTime();
    await new Promise((resolve) => setTimeout(resolve, 600));
    if (Date.now() < retiresAt - 300) await expectEveryGateway(key.key, 200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, retiresAt - Date.now())));
    await Promise.all(gateways.map((gateway) => refusedAfter(gateway, key.key, "rotated_api_key", retiresAt)));
    await expectEveryGateway(replacement, 200);
  });

  it("an expired key is refused on every instance", async () => {
    const expiresAt = new Date(Date.now() + 2_000);
    const key = await seedGatewayKey({ expiresAt });
    await expectEveryGateway(key.key, 200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt.getTime() - Date.now())));
    await expectEveryGateway(key.key, 401, "expired_api_key");
  });

  it("allowed address ranges: 127.0.0.1/32 is answered, 10.0.0.0/8 is refused with 403 before the provider", async () => {
    const inside = await seedGatewayKey({ allowedIps: ["127.0.0.1/32"] });
    const outside = await seedGatewayKey({ allowedIps: ["10.0.0.0/8"] });
    await expectEveryGateway(inside.key, 200);
    const before = fake.requests.length;
    await expectEveryGateway(outside.key, 403, "address_not_allowed");
    expect(fake.requests.length).toBe(before);
    expect(await recordCount(outside.id)).toBe(0);
  });

  it("rotating a provider's key under steady load through both instances fails no request", async () => {
    const upstream = `fake-slow-80-${letters()}`;
    const seeded: Seeded = await seedProvider(admin, fake.url, "openai", { model: upstream });
    const target = `${await providerSlug(seeded.providerId)}/${upstream}`;
    const key = await seedGatewayKey();
    const answers: GatewayAnswer[] = [];
    let rotation: Promise<void> | null = null;
    let newKeyId = "";
    let doneAfterRotation = 0;
    const worker = async (index: number) => {
      while (rotation === null || doneAfterRotation < 150) {
        answers.push(await call(gateways[index % 2]!, key.key, target));
        if (rotation) doneAfterRotation += 1;
        if (answers.length === 30 && !rotation)
          rotation = executeAction(rotateKeySpec, admin, {
            providerId: seeded.providerId,
            label: `next-${letters()}`,
            apiKey: `sk-fake-${letters()}${letters()}`,
            graceDays: 1,
          }).then((result) => {
            expect(result.ok, result.message).toBe(true);
            newKeyId = (result.data as { keyId: string }).keyId;
          });
      }
    };
    await Promise.all(Array.from({ length: 6 }, (_, index) => worker(index)));
    await rotation;
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    await waitFor(
      "every record",
      () => recordCount(key.id),
      (n) => n >= answers.length,
    );
    const used = await db.usageRecord.groupBy({ by: ["keyId"], where: { gatewayKeyId: key.id }, _count: true });
    // Both keys carried requests: the old one before the rotation, the new one once it was seen.
    expect(new Set(used.map((row) => row.keyId))).toEqual(new Set([seeded.keyId, newKeyId]));
  }, 60_000);
});
