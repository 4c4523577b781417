import { addToHistogram, emptyHistogram } from "@/lib/usage/histogram";
import { fromUnits, toUnits } from "@/lib/usage/money";

// Groups freshly inserted usage records into hourly or daily rollup deltas. Pure, so the SQL
// upsert (rollup-upsert.ts) only adds numbers and the grouping is unit-tested.

/** Rollup keys cannot hold NULL (they are the conflict target): "none" is the nil UUID / "". */
export const NONE_ID = "00000000-0000-0000-0000-000000000000";

export type Granularity = "hour" | "day";

export type RollupSource = {
  occurredAt: Date;
  providerId: string;
  modelId: string | null;
  keyId: string | null;
  tag: string;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  latencyMs: number;
  ttftMs: number | null;
  status: "OK" | "ERROR";
  errorClass: string | null;
  /** Decimal string, or null when no price was in force ("unpriced"). */
  cost: string | null;
};

export type RollupDelta = {
  bucket: string;
  provider_id: string;
  model_id: string;
  key_id: string;
  tag: string;
  requests: number;
  errors: number;
  errors_by_class: Record<string, number>;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  cost_sum: string;
  unpriced_count: number;
  latency_sum_ms: number;
  latency_hist: number[];
  ttft_count: number;
  ttft_sum_ms: number;
  ttft_hist: number[] | null;
};

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Start of the UTC hour or day holding `at`. Rollup days are UTC days. */
export function bucketStart(at: Date, granularity: Granularity): Date {
  const size = granularity === "hour" ? HOUR_MS : DAY_MS;
  return new Date(Math.floor(at.getTime() / size) * size);
}

export function buildRollupDeltas(records: readonly RollupSource[], granularity: Granularity): RollupDelta[] {
  const groups = new Map<string, RollupDelta & { costUnits: bigint }>();
  for (const record of records) {
    const bucket = bucketStart(record.occurredAt, granularity).toISOString();
    const modelId = record.modelId ?? NONE_ID;
    const keyId = record.keyId ?? NONE_ID;
    const key = `${bucket}|${record.providerId}|${modelId}|${keyId}|${record.tag}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        bucket, provider_id: record.providerId, model_id: modelId, key_id: keyId, tag: record.tag,
        requests: 0, errors: 0, errors_by_class: {}, input_tokens: 0, cached_input_tokens: 0, output_tokens: 0,
        cost_sum: "0", costUnits: 0n, unpriced_count: 0, latency_sum_ms: 0, latency_hist: emptyHistogram(),
        ttft_count: 0, ttft_sum_ms: 0, ttft_hist: null,
      };
      groups.set(key, group);
    }
    group.requests += 1;
    if (record.status === "ERROR") {
      group.errors += 1;
      const errorClass = record.errorClass ?? "unknown";
      group.errors_by_class[errorClass] = (group.errors_by_class[errorClass] ?? 0) + 1;
    }
    group.input_tokens += record.inputTokens;
    group.cached_input_tokens += record.cachedInputTokens;
    group.output_tokens += record.outputTokens;
    if (record.cost === null) group.unpriced_count += 1;
    else group.costUnits += toUnits(record.cost);
    group.latency_sum_ms += record.latencyMs;
    addToHistogram(group.latency_hist, record.latencyMs);
    if (record.ttftMs !== null) {
      group.ttft_count += 1;
      group.ttft_sum_ms += record.ttftMs;
      group.ttft_hist ??= emptyHistogram();
      addToHistogram(group.ttft_hist, record.ttftMs);
    }
  }
  // A fixed order: concurrent batches then lock shared rollup rows in the same order (no deadlock).
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { costUnits, ...delta }]) => ({ ...delta, cost_sum: fromUnits(costUnits) }));
}
