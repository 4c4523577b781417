import { NONE_ID } from "@/lib/usage/buckets";

// Filters shared by the rollup queries (spend, latency) and the raw-record queries (usage log,
// CSV). Column names are whitelisted here, values always go in as parameters.

// "key" is the provider key; "gatewayKey" the console-issued gateway key (and "team" its team).
export const DIMENSIONS = ["provider", "model", "key", "tag", "team", "gatewayKey"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const DIMENSION_COLUMN: Record<Dimension, string> = {
  provider: "provider_id::text",
  model: "model_id::text",
  key: "key_id::text",
  tag: "tag",
  team: "team_id::text",
  gatewayKey: "gateway_key_id::text",
};

export type UsageFilters = {
  from: Date;
  /** Exclusive. */
  to: Date;
  providerId?: string | null;
  modelId?: string | null;
  keyId?: string | null;
  tag?: string | null;
  teamId?: string | null;
  gatewayKeyId?: string | null;
};

/** Raw-record filters (usage log, raw CSV): the rollup filters plus status and source. */
export type UsageLogFilters = UsageFilters & {
  status?: "OK" | "ERROR" | "CANCELLED" | null;
  source?: "TEST" | "INGEST" | "GATEWAY" | "EVAL" | "FINE_TUNE" | null;
};

/**
 * WHERE clause and parameters. `time` is the time column (bucket for rollups, occurred_at for raw
 * rows); raw rows keep NULL for "none" where rollups keep the nil UUID, hence `raw`.
 */
export function filterSql(
  filters: UsageFilters,
  time: string,
  raw: boolean,
  firstParam = 1,
): { where: string; params: unknown[] } {
  const params: unknown[] = [filters.from.toISOString(), filters.to.toISOString()];
  const clauses = [`${time} >= $${firstParam}::timestamptz`, `${time} < $${firstParam + 1}::timestamptz`];
  const add = (column: string, value: string | null | undefined, cast: string) => {
    if (value === undefined || value === null || value === "") return;
    if (raw && value === NONE_ID) {
      clauses.push(`${column} IS NULL`);
      return;
    }
    params.push(value);
    clauses.push(`${column} = $${firstParam + params.length - 1}${cast}`);
  };
  add("provider_id", filters.providerId, "::uuid");
  add("model_id", filters.modelId, "::uuid");
  add("key_id", filters.keyId, "::uuid");
  add("tag", filters.tag, "::text");
  add("team_id", filters.teamId, "::uuid");
  add("gateway_key_id", filters.gatewayKeyId, "::uuid");
  return { where: clauses.join(" AND "), params };
}
