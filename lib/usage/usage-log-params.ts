import { z } from "zod";
import { decodeCursor, type Cursor } from "@/lib/usage/cursor";
import { parseSpendParams, rangeOf } from "@/lib/usage/spend-params";
import type { UsageLogFilters } from "@/lib/usage/usage-filters";

// The usage log's URL: the spend page's date range and catalog filters (team and gateway key
// included), plus status, source and a keyset cursor (?older=… or ?newer=…, opaque). Invalid values
// fall back to "no filter".

const extraSchema = z.object({
  status: z.enum(["ok", "error", "cancelled"]).optional().catch(undefined),
  source: z.enum(["test", "ingest", "gateway", "eval", "fine_tune"]).optional().catch(undefined),
});

export type UsageLogParams = {
  from: string;
  to: string;
  provider?: string;
  model?: string;
  key?: string;
  tag?: string;
  team?: string;
  gatewayKey?: string;
  status?: "ok" | "error" | "cancelled";
  source?: "test" | "ingest" | "gateway" | "eval" | "fine_tune";
  cursor: { direction: "older" | "newer"; at: Cursor } | null;
};

type Search = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

export function parseUsageLogParams(search: Search, now = new Date()): UsageLogParams {
  const base = parseSpendParams(search, now);
  const extra = extraSchema.parse({ status: first(search.status), source: first(search.source) });
  const older = decodeCursor(first(search.older));
  const newer = older ? null : decodeCursor(first(search.newer));
  return {
    from: base.from,
    to: base.to,
    provider: base.provider,
    model: base.model,
    key: base.key,
    tag: base.tag,
    team: base.team,
    gatewayKey: base.gatewayKey,
    ...extra,
    cursor: older ? { direction: "older", at: older } : newer ? { direction: "newer", at: newer } : null,
  };
}

const STATUS = { ok: "OK", error: "ERROR", cancelled: "CANCELLED" } as const;

export function usageLogFilters(params: UsageLogParams): UsageLogFilters {
  return {
    ...rangeOf(params),
    providerId: params.provider,
    modelId: params.model,
    keyId: params.key,
    tag: params.tag,
    teamId: params.team,
    gatewayKeyId: params.gatewayKey,
    status: params.status ? STATUS[params.status] : null,
    source: params.source
      ? (params.source.toUpperCase() as "TEST" | "INGEST" | "GATEWAY" | "EVAL" | "FINE_TUNE")
      : null,
  };
}

const SEARCH_KEYS = [
  "from",
  "to",
  "provider",
  "model",
  "key",
  "tag",
  "team",
  "gatewayKey",
  "status",
  "source",
] as const;

/** The page's URL with a different cursor (or none); filters are kept. */
export function usageLogSearch(
  params: UsageLogParams,
  cursor?: { direction: "older" | "newer"; value: string },
): string {
  const search = new URLSearchParams();
  for (const key of SEARCH_KEYS) {
    const value = params[key];
    if (value) search.set(key, value);
  }
  if (cursor) search.set(cursor.direction, cursor.value);
  return search.toString();
}
