import { bucketIndex, mergeIntoEncoded } from "@/lib/usage/histogram";
import { ALL_MODELS, NONE_ID, type Granularity } from "@/lib/usage/buckets";

// Groups one batch's inserted records into per (UTC hour/day, provider, model) latency deltas,
// and merges a delta into the stored row. Pure, so the SQL side (latency-rollup.ts) only locks,
// reads and writes rows, and the merge is unit-tested. Each record counts in its model's row and
// in its provider's "all models" row, for hour and day: four groups. This is the hottest loop of
// ingestion, hence sparse maps and nested lookups rather than composite string keys.

export type LatencySource = {
  occurredAt: Date;
  providerId: string;
  modelId: string | null;
  latencyMs: number;
  ttftMs: number | null;
  status: "OK" | "ERROR" | "CANCELLED";
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
  /** Histogram bucket index → count, for this batch only. */
  latency: Map<number, number>;
  ttft: Map<number, number>;
};

export type StoredLatencyRow = {
  requests: number;
  errors: number;
  errorsByClass: Record<string, number>;
  latencyHist: Uint8Array | null;
  ttftHist: Uint8Array | null;
};

export type MergedLatencyRow = {
  requests: number;
  errors: number;
  errorsByClass: Record<string, number>;
  latencyHist: Buffer;
  ttftHist: Buffer;
};

export const latencyKey = (bucket: string, providerId: string, modelId: string) => `${bucket}|${providerId}|${modelId}`;

const SIZE: Record<Granularity, number> = { hour: 3_600_000, day: 86_400_000 };

export type LatencyDeltas = Record<Granularity, LatencyDelta[]>;

type Groups = Map<number, Map<string, Map<string, LatencyDelta>>>;

export function buildLatencyDeltas(records: readonly LatencySource[]): LatencyDeltas {
  const groups: Record<Granularity, Groups> = { hour: new Map(), day: new Map() };
  // Nested maps keyed by the (shared) id strings: no per-record key strings to build and hash.
  const groupFor = (granularity: Granularity, at: number, providerId: string, modelId: string): LatencyDelta => {
    const start = Math.floor(at / SIZE[granularity]) * SIZE[granularity];
    let byProvider = groups[granularity].get(start);
    if (!byProvider) groups[granularity].set(start, (byProvider = new Map()));
    let byModel = byProvider.get(providerId);
    if (!byModel) byProvider.set(providerId, (byModel = new Map()));
    let group = byModel.get(modelId);
    if (!group) {
      group = {
        bucket: new Date(start).toISOString(),
        providerId,
        modelId,
        requests: 0,
        errors: 0,
        errorsByClass: {},
        latency: new Map(),
        ttft: new Map(),
      };
      byModel.set(modelId, group);
    }
    return group;
  };
  for (const record of records) {
    const latency = bucketIndex(record.latencyMs);
    const ttft = record.ttftMs === null ? null : bucketIndex(record.ttftMs);
    const modelId = record.modelId ?? NONE_ID;
    const at = record.occurredAt.getTime();
    for (const granularity of GRANULARITIES) {
      for (const group of [
        groupFor(granularity, at, record.providerId, modelId),
        groupFor(granularity, at, record.providerId, ALL_MODELS),
      ]) {
        group.requests += 1;
        if (record.status === "ERROR") {
          group.errors += 1;
          const errorClass = record.errorClass ?? "unknown";
          group.errorsByClass[errorClass] = (group.errorsByClass[errorClass] ?? 0) + 1;
        }
        group.latency.set(latency, (group.latency.get(latency) ?? 0) + 1);
        if (ttft !== null) group.ttft.set(ttft, (group.ttft.get(ttft) ?? 0) + 1);
      }
    }
  }
  return { hour: sortedGroups(groups.hour), day: sortedGroups(groups.day) };
}

const GRANULARITIES: readonly Granularity[] = ["hour", "day"];

// A fixed order (time, provider, model), as PostgreSQL sorts the same keys: concurrent batches
// lock shared rows in the same order and never deadlock.
function sortedGroups(groups: Groups): LatencyDelta[] {
  const out: LatencyDelta[] = [];
  for (const start of [...groups.keys()].sort((a, b) => a - b)) {
    const byProvider = groups.get(start)!;
    for (const providerId of [...byProvider.keys()].sort()) {
      const byModel = byProvider.get(providerId)!;
      for (const modelId of [...byModel.keys()].sort()) out.push(byModel.get(modelId)!);
    }
  }
  return out;
}

export function mergeLatencyRow(stored: StoredLatencyRow, delta: LatencyDelta): MergedLatencyRow {
  const errorsByClass = { ...stored.errorsByClass };
  for (const [errorClass, count] of Object.entries(delta.errorsByClass))
    errorsByClass[errorClass] = (errorsByClass[errorClass] ?? 0) + count;
  return {
    requests: stored.requests + delta.requests,
    errors: stored.errors + delta.errors,
    errorsByClass,
    latencyHist: mergeIntoEncoded(stored.latencyHist, delta.latency),
    ttftHist: mergeIntoEncoded(stored.ttftHist, delta.ttft),
  };
}
