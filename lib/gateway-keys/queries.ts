import "server-only";
import { cache } from "react";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db, pool } from "@/lib/db/client";
import { roundToCents } from "@/lib/usage/money";
import type { CallableModel } from "@/lib/gateway-keys/model-names";
import { gatewayKeyState, type GatewayKeyState } from "@/lib/gateway-keys/status";
import { limitsIdOf } from "@/lib/gateway-keys/lineage";

// Reads for the gateway pages. The selects below are the only shapes a page gets: key_hash is in
// none of them, so no hash (let alone a key) can reach a component.

export const gatewayKeySelect = {
  id: true,
  name: true,
  teamId: true,
  last4: true,
  allowedModels: true,
  monthlyBudgetUsd: true,
  rpmLimit: true,
  tpmLimit: true,
  maxParallel: true,
  allowedIps: true,
  expiresAt: true,
  status: true,
  revokedAt: true,
  retiresAt: true,
  replacedById: true,
  lineageId: true,
  createdAt: true,
  lastUsedAt: true,
  team: { select: { id: true, name: true } },
} satisfies Prisma.GatewayKeySelect;

export const teamSelect = {
  id: true,
  name: true,
  description: true,
  monthlyBudgetUsd: true,
  createdAt: true,
  _count: { select: { keys: true } },
} satisfies Prisma.TeamSelect;

type GatewayKeyRow = Prisma.GatewayKeyGetPayload<{ select: typeof gatewayKeySelect }>;
type TeamRow = Prisma.TeamGetPayload<{ select: typeof teamSelect }>;

/** This UTC month's spend in one scope, exact to the cent; unpriced records are counted, not guessed. */
export type MonthSpend = { costUsd: string; unpricedCount: number };
const NO_SPEND: MonthSpend = { costUsd: "0.00", unpricedCount: 0 };

export type GatewayKeyView = Omit<GatewayKeyRow, "monthlyBudgetUsd"> & {
  monthlyBudgetUsd: string | null;
  state: GatewayKeyState;
  spend: MonthSpend;
  /** Requests counted in the current minute (the gateway's RPM window). */
  requestsThisMinute: number;
};

export type TeamView = Omit<TeamRow, "monthlyBudgetUsd" | "_count"> & {
  monthlyBudgetUsd: string | null;
  keyCount: number;
  spend: MonthSpend;
};

// The same month the usage insert writes (record-usage-sql.ts): the UTC calendar month.
const SPEND_SQL = `SELECT scope, cost_sum::text AS cost, unpriced_count::text AS unpriced FROM spend_counters
  WHERE month = date_trunc('month', now() AT TIME ZONE 'UTC')::date AND scope = ANY($1::text[])`;

async function monthSpend(scopes: string[]): Promise<Map<string, MonthSpend>> {
  if (scopes.length === 0) return new Map();
  const { rows } = await pool.query<{ scope: string; cost: string; unpriced: string }>(SPEND_SQL, [scopes]);
  return new Map(
    rows.map((row) => [row.scope, { costUsd: roundToCents(row.cost), unpricedCount: Number(row.unpriced) }]),
  );
}

// The gateway's window moves on at the first request of a new minute (same clock as its admission
// function), so a row from an earlier minute means no requests yet in this one.
const WINDOW_SQL = `SELECT gateway_key_id::text AS id, requests FROM gateway_key_windows
  WHERE gateway_key_id = ANY($1::uuid[]) AND window_start = date_trunc('minute', clock_timestamp())`;

async function requestsThisMinute(ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const { rows } = await pool.query<{ id: string; requests: number }>(WINDOW_SQL, [ids]);
  return new Map(rows.map((row) => [row.id, row.requests]));
}

const money = (value: Prisma.Decimal | null) => (value === null ? null : value.toFixed(2));

// Spend and requests are counted per rotation chain (lib/gateway-keys/lineage.ts): a rotated key
// shows the budget and limits it shares with the key it replaced.
async function withUsage(rows: GatewayKeyRow[]): Promise<GatewayKeyView[]> {
  const ids = [...new Set(rows.map(limitsIdOf))];
  const [spend, windows] = await Promise.all([monthSpend(ids.map((id) => `key:${id}`)), requestsThisMinute(ids)]);
  const now = new Date();
  return rows.map((row) => ({
    ...row,
    monthlyBudgetUsd: money(row.monthlyBudgetUsd),
    state: gatewayKeyState(row, now),
    spend: spend.get(`key:${limitsIdOf(row)}`) ?? NO_SPEND,
    requestsThisMinute: windows.get(limitsIdOf(row)) ?? 0,
  }));
}

/** Every key, usable ones first, newest first within. */
export async function listGatewayKeys(filter: { teamId?: string } = {}): Promise<GatewayKeyView[]> {
  const rows = await db.gatewayKey.findMany({
    where: filter.teamId ? { teamId: filter.teamId } : undefined,
    select: gatewayKeySelect,
    orderBy: [{ status: "asc" }, { createdAt: "desc" }],
  });
  return withUsage(rows);
}

/** One key by id (a malformed id is simply not found); cached per request for the page's widgets. */
export const getGatewayKey = cache(async (id: string): Promise<GatewayKeyView | null> => {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const row = await db.gatewayKey.findUnique({ where: { id }, select: gatewayKeySelect });
  return row ? ((await withUsage([row]))[0] ?? null) : null;
});

export async function listTeams(): Promise<TeamView[]> {
  const rows = await db.team.findMany({ select: teamSelect, orderBy: { name: "asc" } });
  const spend = await monthSpend(rows.map((row) => `team:${row.id}`));
  return rows.map(({ _count, ...row }) => ({
    ...row,
    monthlyBudgetUsd: money(row.monthlyBudgetUsd),
    keyCount: _count.keys,
    spend: spend.get(`team:${row.id}`) ?? NO_SPEND,
  }));
}

export type TeamOption = { id: string; name: string };

export async function teamOptions(): Promise<TeamOption[]> {
  return db.team.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
}

type ModelClient = Pick<Prisma.TransactionClient, "model">;

/** What the gateway can route to: enabled models of enabled, non-archived providers. */
export async function callableModels(client: ModelClient = db): Promise<CallableModel[]> {
  const rows = await client.model.findMany({
    where: { enabled: true, provider: { enabled: true, archivedAt: null } },
    select: { modelId: true, displayName: true, provider: { select: { slug: true, name: true } } },
    orderBy: [{ provider: { slug: "asc" } }, { modelId: "asc" }],
  });
  return rows.map((row) => ({
    providerSlug: row.provider.slug,
    providerName: row.provider.name,
    modelId: row.modelId,
    displayName: row.displayName,
  }));
}
