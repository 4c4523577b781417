import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { expect } from "@playwright/test";
import { query } from "./support/db";

// Seeds usage for the usage/spend/latency specs through the real ingestion API (POST /api/v1/usage),
// so the pages show what the write path produced: a provider with a priced and an unpriced model
// and an ingest token created straight in the database (only its SHA-256 is stored).

export type UsageSeed = {
  providerId: string;
  providerName: string;
  pricedModelId: string;
  unpricedModelId: string;
  suffix: string;
};

export async function seedCatalog(): Promise<UsageSeed & { token: string }> {
  const suffix = randomUUID().slice(0, 8);
  const providerName = `E2E Usage ${suffix}`;
  const [provider] = await query<{ id: string }>(
    `INSERT INTO providers (id, name, kind, base_url, updated_at) VALUES (gen_random_uuid(), $1, 'openai', 'https://api.example.test/v1', now()) RETURNING id`,
    [providerName],
  );
  const model = async (name: string) =>
    (
      await query<{ id: string }>(
        `INSERT INTO models (id, provider_id, model_id, display_name, updated_at) VALUES (gen_random_uuid(), $1, $2, $2, now()) RETURNING id`,
        [provider!.id, name],
      )
    )[0]!.id;
  const pricedModelId = await model(`priced-${suffix}`);
  const unpricedModelId = await model(`unpriced-${suffix}`);
  await query(
    `INSERT INTO model_prices (id, model_id, input_per_mtok, output_per_mtok, effective_from) VALUES (gen_random_uuid(), $1, 2.5, 10, '2020-01-01')`,
    [pricedModelId],
  );
  const token = `pcu_${randomBytes(32).toString("base64url")}`;
  await query(`INSERT INTO ingest_tokens (id, name, token_hash, last4) VALUES (gen_random_uuid(), $1, $2, $3)`, [
    `e2e-${suffix}`,
    createHash("sha256").update(token).digest("hex"),
    token.slice(-4),
  ]);
  return { providerId: provider!.id, providerName, pricedModelId, unpricedModelId, suffix, token };
}

export type SeedRecord = {
  model: "priced" | "unpriced";
  at: Date;
  latencyMs: number;
  ttftMs?: number | null;
  status?: "ok" | "error";
  errorClass?: string;
  tag?: string;
};

export async function ingest(
  request: APIRequestContext,
  seed: UsageSeed & { token: string },
  records: SeedRecord[],
): Promise<string[]> {
  const ids = records.map(() => `e2e-${seed.suffix}-${randomUUID().slice(0, 8)}`);
  const response = await request.post("/api/v1/usage", {
    headers: { authorization: `Bearer ${seed.token}` },
    data: {
      records: records.map((record, i) => ({
        id: ids[i],
        occurredAt: record.at.toISOString(),
        provider: seed.providerName,
        model: record.model === "priced" ? `priced-${seed.suffix}` : `unpriced-${seed.suffix}`,
        tag: record.tag ?? "checkout",
        inputTokens: 1000,
        outputTokens: 100,
        latencyMs: record.latencyMs,
        ttftMs: record.ttftMs ?? null,
        status: record.status ?? "ok",
        errorClass: record.errorClass ?? null,
        httpStatus: record.status === "error" ? 429 : 200,
      })),
    },
  });
  expect(response.status()).toBe(200);
  expect((await response.json()) as { created: number }).toMatchObject({ created: records.length });
  return ids;
}

/**
 * Today at hh:mm UTC. When that is still to come (ingestion refuses future times), the same share of
 * the time since midnight instead: still today and this month even at 00:02 on the 1st, and in the same order.
 */
export function todayAt(hour: number, minute = 0, now = Date.now()): Date {
  const at = new Date(now);
  at.setUTCHours(hour, minute, 0, 0);
  if (at.getTime() <= now) return at;
  const midnight = new Date(now).setUTCHours(0, 0, 0, 0);
  return new Date(midnight + Math.floor(((now - midnight) * (hour * 60 + minute)) / (24 * 60)));
}
