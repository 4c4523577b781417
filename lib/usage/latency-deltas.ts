import { addEncoded, addToHistogram, emptyHistogram, encodeHistogram, type DenseHistogram } from "@/lib/usage/histogram";
import { ALL_MODELS, bucketStart, NONE_ID, type Granularity } from "@/lib/usage/buckets";

// Groups one batch's inserted records into per (UTC hour/day, provider, model) latency deltas,
// and merges a delta into the stored row. Pure, so the SQL side (latency-rollup.ts) only locks,
// reads and writes rows, and the merge is unit-tested.

export type LatencySource = {
  occurredAt: Date;
  providerId: string;
  modelId: string | null;
  latencyMs: number;
  ttftMs: number | null;
  status: "OK" | "ERROR";
  errorClass: string | null;
};

export type LatencyDelta = {
  /** ISO start of the UTC hour or day. */
  bucket: string;
  providerId: string;
  modelId: string;
  requests: number;
  errors: number;
  errorsByClass: Record<string, number>;
  latency: DenseHistogram;
  ttft: DenseHistogram;
};

export type StoredLatencyRow = {
  requests: number;
  errors: number;
  errorsByClass: Record<string, number>;
  latencyHist: Uint8Array | null;
  ttftHist: Uint8Array | null;
};

export type MergedLatencyRow = { requests: number; errors: number; errorsByClass: Record<string, number>; latencyHist: Buffer; ttftHist: Buffer };

export const latencyKey = (bucket: string, providerId: string, modelId: string) => `${bucket}|${providerId}|${modelId}`;

export function buildLatencyDeltas(records: readonly LatencySource[], granularity: Granularity): LatencyDelta[] {
  const groups = new Map<string, LatencyDelta>();
  const groupFor = (bucket: string, providerId: string, modelId: string) => {
    const key = latencyKey(bucket, providerId, modelId);
    let group = groups.get(key);
    if (!group) {
      group = { bucket, providerId, modelId, requests: 0, errors: 0, errorsByClass: {}, latency: emptyHistogram(), ttft: emptyHistogram() };
      groups.set(key, group);
    }
    return group;
  };
  for (const record of records) {
    const bucket = bucketStart(record.occurredAt, granularity).toISOString();
    // Each record counts in its model's row and in its provider's "all models" row.
    for (const group of [groupFor(bucket, record.providerId, record.modelId ?? NONE_ID), groupFor(bucket, record.providerId, ALL_MODELS)]) {
      group.requests += 1;
      if (record.status === "ERROR") {
        group.errors += 1;
        const errorClass = record.errorClass ?? "unknown";
        group.errorsByClass[errorClass] = (group.errorsByClass[errorClass] ?? 0) + 1;
      }
      addToHistogram(group.latency, record.latencyMs);
      if (record.ttftMs !== null) addToHistogram(group.ttft, record.ttftMs);
    }
  }
  // A fixed order (time, provider, model), as PostgreSQL sorts the same keys: concurrent batches
  // lock shared rows in the same order and never deadlock.
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, delta]) => delta);
}

export function mergeLatencyRow(stored: StoredLatencyRow, delta: LatencyDelta): MergedLatencyRow {
  const errorsByClass = { ...stored.errorsByClass };
  for (const [errorClass, count] of Object.entries(delta.errorsByClass)) errorsByClass[errorClass] = (errorsByClass[errorClass] ?? 0) + count;
  return {
    requests: stored.requests + delta.requests,
    errors: stored.errors + delta.errors,
    errorsByClass,
    latencyHist: encodeHistogram(addEncoded(Float64Array.from(delta.latency), stored.latencyHist)),
    ttftHist: encodeHistogram(addEncoded(Float64Array.from(delta.ttft), stored.ttftHist)),
  };
}
