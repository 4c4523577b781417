// UTC time buckets and the "none" key shared by the rollups, their writers and their readers.

/** Rollup keys cannot hold NULL (they are conflict targets): "none" is the nil UUID / "". */
export const NONE_ID = "00000000-0000-0000-0000-000000000000";

/**
 * model_id of the latency rollup rows that merge all of a provider's models: charts by provider
 * then read one pre-merged row per point instead of merging one row per model.
 */
export const ALL_MODELS = "ffffffff-ffff-ffff-ffff-ffffffffffff";

export type Granularity = "hour" | "day";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Start of the UTC hour or day holding `at`. Rollup days are UTC days. */
export function bucketStart(at: Date, granularity: Granularity): Date {
  const size = granularity === "hour" ? HOUR_MS : DAY_MS;
  return new Date(Math.floor(at.getTime() / size) * size);
}

/** The same truncation in SQL, independent of the session's TimeZone. */
export function bucketSql(column: string, granularity: Granularity): string {
  return `(date_trunc('${granularity}', ${column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;
}
