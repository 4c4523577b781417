import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/session";
import { executeAction } from "@/lib/actions/define-action";
import { db, pool } from "@/lib/db/client";
import { rotateGatewayKeySpec } from "@/lib/gateway-keys/action-specs";
import { generateGatewayKey } from "@/lib/gateway-keys/key-material";
import { getGatewayKey } from "@/lib/gateway-keys/queries";
import { startFakeProvider, type FakeProvider } from "@/tests/fake-provider/server";
import { createActor } from "../support/actors";
import type { GatewayProcess } from "../support/gateway-process";
import { letters, seedProvider } from "./test-calls-support";
import { providerSlug, seedGatewayKey } from "./gateway-support";
import {
  chat,
  counterOf,
  monthCost,
  preSpend,
  recordCount,
  roomInMinute,
  runPool,
  startGateways,
  waitFor,
} from "./gateway-load-support";

// A rotated key shares the monthly budget and the rate limits of the key it replaced (both count
// under the chain's first key, gateway_keys.lineage_id): a rotation must not hand an application a
// fresh month of budget, nor let the old key and its replacement each take the full limit during
// the grace period. Two gateway processes over one database, as in production.

const PRICE = { input: "1000", output: "10000" }; // $ per million tokens
let fake: FakeProvider;
let gateways: GatewayProcess[] = [];
let admin: Actor;
let target = { providerId: "", modelId: "", name: "", upstreamModel: "" };

beforeAll(async () => {
  fake = await startFakeProvider();
  admin = await createActor("ADMIN");
  const upstreamModel = `fake-${letters()}`;
  const seeded = await seedProvider(admin, fake.url, "openai", { model: upstreamModel, price: PRICE });
  target = { ...seeded, upstreamModel, name: `${await providerSlug(seeded.providerId)}/${upstreamModel}` };
  gateways = await startGateways(2);
}, 180_000);

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await fake?.close();
});

async function rotate(gatewayKeyId: string): Promise<{ id: string; key: string }> {
  const rotated = await executeAction(rotateGatewayKeySpec, admin, {
    gatewayKeyId,
    grace: "custom",
    graceMinutes: 10,
  });
  expect(rotated.ok, rotated.message).toBe(true);
  return rotated.data as { id: string; key: string };
}

const providerCalls = () => fake.requests.filter((request) => request.model === target.upstreamModel).length;

describe("a rotated gateway key shares its budget and limits", () => {
  it("the replacement of a key whose month's budget is spent is refused, and so is the old key in its grace", async () => {
    const key = await seedGatewayKey({ monthlyBudgetUsd: "3.00" });
    // $3.00 at the input price: the whole budget, recorded against the key before it is rotated.
    await preSpend({ ...target, inputTokens: 3000, gatewayKeyId: key.id, teamId: key.teamId });
    const next = await rotate(key.id);
    const before = providerCalls();
    for (const gateway of gateways)
      for (const presented of [next.key, key.key]) {
        const answer = await chat(gateway.url, presented, target.name);
        expect({ status: answer.status, code: answer.code }).toEqual({ status: 429, code: "budget_exceeded" });
        expect(answer.message).toMatch(/gateway key's monthly budget/);
      }
    expect(providerCalls()).toBe(before);
    // The console shows the chain's spend on the replacement's page too.
    const view = await getGatewayKey(next.id);
    expect(view!.spend.costUsd).toBe("3.00");
  }, 60_000);

  it("spend through the replacement lands in the chain's one budget counter, exact to the records", async () => {
    const key = await seedGatewayKey({ monthlyBudgetUsd: "100.00" });
    await preSpend({ ...target, inputTokens: 2000, gatewayKeyId: key.id, teamId: key.teamId });
    const next = await rotate(key.id);
    const answers = await runPool(20, 4, (index) =>
      chat(gateways[index % 2]!.url, index % 4 === 0 ? key.key : next.key, target.name),
    );
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
    await waitFor(
      "the replacement's records",
      async () => (await recordCount(key.id)) + (await recordCount(next.id)),
      (n) => n >= 21,
    );
    const chainCost = (await monthCost("gateway_key_id", key.id)).add(await monthCost("gateway_key_id", next.id));
    expect(chainCost.gt(new Prisma.Decimal("2.00"))).toBe(true);
    await waitFor(
      "the chain's counter to reach its records",
      async () => (await counterOf(`key:${key.id}`)).toFixed(10),
      (cost) => cost === chainCost.toFixed(10),
    );
    const { rows } = await pool.query("SELECT 1 FROM spend_counters WHERE scope = $1", [`key:${next.id}`]);
    expect(rows).toHaveLength(0);
  }, 60_000);

  it("the old key in its grace and its replacement get one requests-per-minute limit between them", async () => {
    const key = await seedGatewayKey({ rpmLimit: 20 });
    const next = await rotate(key.id);
    await roomInMinute(20_000);
    const answers = await runPool(40, 8, (index) =>
      chat(gateways[index % 2]!.url, index % 2 === 0 ? key.key : next.key, target.name),
    );
    const ok = answers.filter((answer) => answer.status === 200);
    expect(ok).toHaveLength(20);
    // Both keys were served, and every refusal is the shared limit's.
    expect(answers.filter((answer, index) => answer.status === 200 && index % 2 === 0).length).toBeGreaterThan(0);
    expect(answers.filter((answer, index) => answer.status === 200 && index % 2 === 1).length).toBeGreaterThan(0);
    for (const answer of answers.filter((a) => a.status !== 200)) {
      expect({ status: answer.status, code: answer.code }).toEqual({ status: 429, code: "rate_limit_exceeded" });
    }
    expect((await getGatewayKey(next.id))!.requestsThisMinute).toBe(20);
  }, 120_000);

  it("the migration gives chains rotated before it one budget: their spend moves to the first key's scope", async () => {
    const sql = fs.readFileSync(
      path.resolve("prisma/migrations/20261203100000_gateway_key_lineage/migration.sql"),
      "utf8",
    );
    // Its statements after the column is added (the test database has the column already).
    const statements = sql
      .replace(/--[^\n]*\n/g, "\n")
      .split(";")
      .map((statement) => statement.trim())
      .filter((statement) => statement && !statement.startsWith("ALTER TABLE"));
    expect(statements).toHaveLength(3);
    const team = await db.team.create({ data: { name: `team-${letters()}` }, select: { id: true } });
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      // A → B → C, linked as rotations were before the column existed, each with its own counter.
      const ids: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const material = generateGatewayKey();
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO gateway_keys (id, team_id, name, key_hash, last4, updated_at)
           VALUES (gen_random_uuid(), $1, $2, $3, $4, now()) RETURNING id::text`,
          [team.id, `chain-${index}`, material.hash, material.last4],
        );
        ids.push(rows[0]!.id);
      }
      const [a, b, c] = ids as [string, string, string];
      await client.query("UPDATE gateway_keys SET replaced_by_id = $2 WHERE id = $1", [a, b]);
      await client.query("UPDATE gateway_keys SET replaced_by_id = $2 WHERE id = $1", [b, c]);
      await client.query(
        `INSERT INTO spend_counters (scope, month, cost_sum, unpriced_count) VALUES
           ('key:' || $1, '2026-11-01', 1.25, 1), ('key:' || $2, '2026-11-01', 0.50, 0),
           ('key:' || $2, '2026-12-01', 2.00, 2), ('key:' || $3, '2026-12-01', 0.05, 0)`,
        [a, b, c],
      );
      for (const statement of statements) await client.query(statement);
      const lineage = await client.query<{ id: string; lineage_id: string | null }>(
        "SELECT id::text, lineage_id::text FROM gateway_keys WHERE id = ANY($1::uuid[])",
        [ids],
      );
      expect(Object.fromEntries(lineage.rows.map((row) => [row.id, row.lineage_id]))).toEqual({
        [a]: null,
        [b]: a,
        [c]: a,
      });
      const counters = await client.query<{ scope: string; month: string; cost: string; unpriced: string }>(
        `SELECT scope, to_char(month, 'YYYY-MM') AS month, cost_sum::numeric(12, 2)::text AS cost,
                unpriced_count::text AS unpriced
           FROM spend_counters WHERE scope = ANY($1::text[]) ORDER BY scope, month`,
        [ids.map((id) => `key:${id}`)],
      );
      expect(counters.rows).toEqual([
        { scope: `key:${a}`, month: "2026-11", cost: "1.75", unpriced: "1" },
        { scope: `key:${a}`, month: "2026-12", cost: "2.05", unpriced: "2" },
      ]);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
});
