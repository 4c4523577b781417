import "server-only";
import { zodFieldErrors } from "@/lib/errors/field-errors";
import type { FieldErrors } from "@/lib/errors/domain-error";
import { ingestRecordSchema, normaliseErrorClass, type IngestRecord } from "@/lib/ingest/schemas";
import { loadCatalogResolver } from "@/lib/ingest/resolve-catalog";
import { recordUsage, type UsageInput } from "@/lib/usage/record-usage";

// The library function behind POST /api/v1/usage (and the benchmark): validate each record,
// resolve its provider/model/key, store the valid ones in one transaction, and report per record.

export type IngestRecordResult =
  | { index: number; id: string; status: "created"; unpriced: boolean }
  | { index: number; id: string; status: "duplicate" }
  | { index: number; id: string | null; status: "error"; errors: FieldErrors };

export type IngestSummary = {
  created: number;
  duplicates: number;
  errors: number;
  unpriced: number;
  results: IngestRecordResult[];
};

// The id as sent (not trimmed: ids are stored exactly), cut to the longest id a record may have.
function recordId(raw: unknown): string | null {
  if (raw && typeof raw === "object" && "id" in raw && typeof raw.id === "string") return raw.id.slice(0, 200) || null;
  return null;
}

const COST_OUT_OF_RANGE =
  "The cost of this record (its tokens at the model's price) is $10,000,000,000 or more, above what the console stores: check inputTokens, outputTokens and the model's price.";

export async function ingestBatch(
  rawRecords: readonly unknown[],
  ingestTokenId: string | null,
): Promise<IngestSummary> {
  const results: (IngestRecordResult | undefined)[] = new Array(rawRecords.length);
  const valid: { index: number; record: IngestRecord }[] = [];
  rawRecords.forEach((raw, index) => {
    const parsed = ingestRecordSchema.safeParse(raw);
    if (parsed.success) valid.push({ index, record: parsed.data });
    else results[index] = { index, id: recordId(raw), status: "error", errors: zodFieldErrors(parsed.error) };
  });

  const resolve = await loadCatalogResolver(valid.map(({ record }) => record));
  const usable: { index: number; input: UsageInput & { clientRecordId: string } }[] = [];
  for (const { index, record } of valid) {
    const resolved = resolve(record);
    if (!resolved.ok) {
      results[index] = { index, id: record.id, status: "error", errors: { [resolved.field]: [resolved.message] } };
      continue;
    }
    usable.push({
      index,
      input: {
        clientRecordId: record.id,
        occurredAt: record.occurredAt,
        providerId: resolved.providerId,
        modelId: resolved.modelId,
        keyId: resolved.keyId,
        tag: record.tag,
        inputTokens: record.inputTokens,
        cachedInputTokens: record.cachedInputTokens,
        outputTokens: record.outputTokens,
        latencyMs: record.latencyMs,
        ttftMs: record.ttftMs,
        status: record.status === "ok" ? "OK" : "ERROR",
        errorClass: normaliseErrorClass(record),
        httpStatus: record.httpStatus ?? null,
      },
    });
  }

  const stored = await recordUsage(
    usable.map(({ input }) => input),
    { source: "INGEST", ingestTokenId },
  );
  // A repeated id inside one batch: the first occurrence is the one stored.
  const firstIndex = new Map<string, number>();
  for (const { index, input } of usable) {
    const id = input.clientRecordId;
    const isFirst = !firstIndex.has(id);
    if (isFirst) firstIndex.set(id, index);
    if (stored.costOutOfRange.has(id) && !stored.inserted.has(id)) {
      results[index] = { index, id, status: "error", errors: { _form: [COST_OUT_OF_RANGE] } };
      continue;
    }
    results[index] =
      isFirst && stored.inserted.has(id)
        ? { index, id, status: "created", unpriced: stored.unpricedIds.has(id) }
        : { index, id, status: "duplicate" };
  }
  const final = results.filter((result): result is IngestRecordResult => !!result);
  return {
    created: final.filter((r) => r.status === "created").length,
    duplicates: final.filter((r) => r.status === "duplicate").length,
    errors: final.filter((r) => r.status === "error").length,
    unpriced: stored.unpriced,
    results: final,
  };
}
