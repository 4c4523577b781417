import { randomUUID } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import { pool } from "@/lib/db/client";
import { recordUsage } from "@/lib/usage/record-usage";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process";

// Raw HTTP calls and database read-backs for the gateway's budget, limit and key tests. Plain
// fetch, not an SDK: the SDKs retry 429s on their own, and these tests count every answer.

export type GatewayAnswer = {
  status: number;
  retryAfter: string | null;
  requestId: string | null;
  code: string | null;
  message: string;
};

/** One non-streamed chat completion through the gateway at `url` (http://127.0.0.1:<port>). */
export async function chat(
  url: string,
  key: string,
  model: string,
  options: { prompt?: string; maxTokens?: number } = {},
): Promise<GatewayAnswer> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({
      model,
      messages: [{ role: "user", content: options.prompt ?? "hi" }],
      max_tokens: options.maxTokens ?? 5,
    }),
  });
  const text = await response.text();
  let code: string | null = null;
  let message = "";
  if (response.status >= 400) {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    code = body.error?.code ?? null;
    message = body.error?.message ?? "";
  }
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    requestId: response.headers.get("x-request-id"),
    code,
    message,
  };
}

/** Runs `count` calls, at most `concurrency` at a time; call i gets its index. */
export async function runPool<T>(
  count: number,
  concurrency: number,
  call: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) results[index] = await call(index);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: last saw ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sum of usage_records.cost this UTC month (database clock) matching one column. */
export async function monthCost(
  column: "gateway_key_id" | "team_id" | "provider_id",
  id: string,
): Promise<Prisma.Decimal> {
  const { rows } = await pool.query<{ cost: string }>(
    `SELECT coalesce(sum(cost), 0)::text AS cost FROM usage_records
      WHERE ${column} = $1::uuid AND occurred_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
    [id],
  );
  return new Prisma.Decimal(rows[0]!.cost);
}

/** spend_counters.cost_sum for a scope this UTC month (0 when there is no row yet). */
export async function counterOf(scope: string): Promise<Prisma.Decimal> {
  const { rows } = await pool.query<{ cost: string }>(
    `SELECT cost_sum::text AS cost FROM spend_counters
      WHERE scope = $1 AND month = date_trunc('month', now() AT TIME ZONE 'UTC')::date`,
    [scope],
  );
  return new Prisma.Decimal(rows[0]?.cost ?? "0");
}

export async function recordCount(gatewayKeyId: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    "SELECT count(*)::text AS n FROM usage_records WHERE gateway_key_id = $1::uuid",
    [gatewayKeyId],
  );
  return Number(rows[0]!.n);
}

export async function leaseCount(gatewayKeyId: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    "SELECT count(*)::text AS n FROM gateway_leases WHERE gateway_key_id = $1::uuid",
    [gatewayKeyId],
  );
  return Number(rows[0]!.n);
}

/** Spend already made this month: one record of `inputTokens` prompt tokens and no output. */
export async function preSpend(target: {
  providerId: string;
  modelId: string;
  inputTokens: number;
  gatewayKeyId?: string;
  teamId?: string;
}): Promise<void> {
  const result = await recordUsage(
    [
      {
        clientRecordId: `prespend-${randomUUID()}`,
        occurredAt: new Date(),
        providerId: target.providerId,
        modelId: target.modelId,
        keyId: null,
        tag: "",
        inputTokens: target.inputTokens,
        cachedInputTokens: 0,
        outputTokens: 0,
        latencyMs: 1,
        ttftMs: null,
        status: "OK",
        errorClass: null,
        httpStatus: 200,
        gatewayKeyId: target.gatewayKeyId ?? null,
        teamId: target.teamId ?? null,
      },
    ],
    { source: "GATEWAY" },
  );
  if (result.inserted.size !== 1) throw new Error("pre-spend record was not stored");
}

/** Milliseconds into the current minute by the database's clock (the limiters' clock). */
export async function msIntoMinute(): Promise<number> {
  const { rows } = await pool.query<{ ms: string }>(
    "SELECT (extract(epoch FROM clock_timestamp() - date_trunc('minute', clock_timestamp())) * 1000)::text AS ms",
  );
  return Number(rows[0]!.ms);
}

/**
 * Waits until at least `neededMs` remain in the current minute, so a burst's per-minute counts
 * all fall in one window (the sliding window blends in the previous minute after a boundary).
 */
export async function roomInMinute(neededMs: number): Promise<void> {
  const into = await msIntoMinute();
  if (60_000 - into >= neededMs) return;
  await new Promise((resolve) => setTimeout(resolve, 60_000 - into + 200));
}

/**
 * `count` gateway processes, started one after another: each compiles on start, and several at
 * once on a busy machine can miss the start timeout.
 */
export async function startGateways(
  count: number,
  env?: Parameters<typeof startGatewayProcess>[0],
): Promise<GatewayProcess[]> {
  const started: GatewayProcess[] = [];
  for (let index = 0; index < count; index += 1) started.push(await startGatewayProcess(env));
  return started;
}
