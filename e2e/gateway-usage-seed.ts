import { randomUUID } from "node:crypto";
import { RECORD_SQL } from "../lib/usage/record-usage-sql";
import { query } from "./support/db";
import type { UsageSeed } from "./usage-seed";

// Gateway usage for the spend and overview specs: a team and a gateway key in the database, and
// records written with the usage insert statement itself (RECORD_SQL: records, hourly and daily
// rollups, spend counters), as the gateway's writer does. The latency histograms are not written:
// these specs read spend and counts only. The parameters follow recordColumns in
// lib/usage/record-usage.ts ($3…$21); a changed statement fails the seed loudly (bind count).

export type GatewaySeed = { teamId: string; teamName: string; keyId: string; keyName: string; last4: string };

export async function seedGatewayKey(seed: UsageSeed): Promise<GatewaySeed> {
  const teamName = `E2E Team ${seed.suffix}`;
  const keyName = `e2e-key-${seed.suffix}`;
  const last4 = seed.suffix.slice(0, 4);
  const [team] = await query<{ id: string }>(
    `INSERT INTO teams (id, name, updated_at) VALUES (gen_random_uuid(), $1, now()) RETURNING id`,
    [teamName],
  );
  const [key] = await query<{ id: string }>(
    `INSERT INTO gateway_keys (id, team_id, name, key_hash, last4, updated_at)
     VALUES (gen_random_uuid(), $1, $2, encode(sha256(gen_random_uuid()::text::bytea), 'hex'), $3, now()) RETURNING id`,
    [team!.id, keyName, last4],
  );
  return { teamId: team!.id, teamName, keyId: key!.id, keyName, last4 };
}

export type GatewayUsage = { at: Date; inputTokens: number; status?: "OK" | "ERROR"; estimated?: boolean };

export async function recordGatewayUsage(seed: UsageSeed, key: GatewaySeed, records: GatewayUsage[]): Promise<void> {
  const column = <T>(pick: (record: GatewayUsage) => T) => records.map(pick);
  await query(RECORD_SQL, [
    "GATEWAY",
    null,
    column(() => randomUUID()),
    column((r) => r.at.toISOString()),
    column(() => seed.providerId),
    column(() => seed.pricedModelId),
    column(() => null),
    column(() => ""),
    column((r) => r.inputTokens),
    column(() => 0),
    column(() => 0),
    column(() => 300),
    column(() => null),
    column((r) => r.status ?? "OK"),
    column((r) => (r.status === "ERROR" ? "upstream_5xx" : null)),
    column((r) => (r.status === "ERROR" ? 502 : 200)),
    column(() => key.keyId),
    column(() => key.teamId),
    column((r) => r.estimated ?? false),
    // route_id, cached (issue #14): no route, not a cache hit.
    column(() => null),
    column(() => false),
  ]);
}
