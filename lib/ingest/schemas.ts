import { z } from "zod";

// The ingestion API's body (POST /api/v1/usage, documented in openapi/usage-ingest.yaml). The
// batch is checked as a whole only for shape and size; each record is validated on its own so a
// bad record gets its own error while the good ones are stored.

export const MAX_BATCH_RECORDS = 1000;
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Records may be stamped slightly ahead of the server clock (clock skew), not days ahead. */
export const MAX_FUTURE_MS = 5 * 60 * 1000;

const count = (label: string) =>
  z.number({ error: `${label} must be a whole number.` }).int(`${label} must be a whole number.`).min(0, `${label} cannot be negative.`).max(2_147_483_647, `${label} is too large.`);

export const ingestBodySchema = z.object({
  records: z
    .array(z.unknown(), { error: "Send { \"records\": [ … ] }." })
    .min(1, "Send at least one record.")
    .max(MAX_BATCH_RECORDS, `Send at most ${MAX_BATCH_RECORDS} records per request.`),
});

export const ingestRecordSchema = z
  .object({
    id: z.string({ error: "Give every record an id (your own, unique)." }).trim().min(1, "The id is empty.").max(200, "Use an id of at most 200 characters."),
    occurredAt: z.iso.datetime({ offset: true, error: "occurredAt must be an ISO 8601 timestamp with a time zone." }).transform((value) => new Date(value)),
    provider: z.string({ error: "Name the provider (its name or id)." }).trim().min(1, "Name the provider.").max(200),
    model: z.string({ error: "Name the model (its model id or console id)." }).trim().min(1, "Name the model.").max(200),
    keyId: z.uuid({ error: "keyId must be a provider key's id." }).nullish(),
    tag: z.string({ error: "tag must be text." }).trim().max(100, "Use a tag of at most 100 characters.").nullish().transform((value) => value ?? ""),
    inputTokens: count("inputTokens"),
    cachedInputTokens: count("cachedInputTokens").nullish().transform((value) => value ?? 0),
    outputTokens: count("outputTokens"),
    latencyMs: count("latencyMs"),
    ttftMs: count("ttftMs").nullish().transform((value) => value ?? null),
    status: z.enum(["ok", "error"], { error: "status is \"ok\" or \"error\"." }),
    errorClass: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "errorClass is up to 64 letters, digits or _.:-")
      .nullish(),
    httpStatus: z.number().int().min(100, "httpStatus is an HTTP status code.").max(599, "httpStatus is an HTTP status code.").nullish(),
  })
  .refine((record) => record.cachedInputTokens <= record.inputTokens, {
    path: ["cachedInputTokens"],
    message: "cachedInputTokens is the cached part of inputTokens and cannot exceed it.",
  })
  .refine((record) => record.occurredAt.getTime() <= Date.now() + MAX_FUTURE_MS, {
    path: ["occurredAt"],
    message: "occurredAt is in the future.",
  });

export type IngestRecord = z.output<typeof ingestRecordSchema>;

/** Error classes are compared case-insensitively; an error without one is "unknown". */
export function normaliseErrorClass(record: Pick<IngestRecord, "status" | "errorClass">): string | null {
  if (record.status !== "error") return null;
  return (record.errorClass ?? "unknown").toLowerCase();
}

export const createIngestTokenSchema = z.object({
  name: z.string({ error: "Name the token (e.g. the application using it)." }).trim().min(1, "Name the token (e.g. the application using it).").max(80, "Use at most 80 characters."),
});

export const revokeIngestTokenSchema = z.object({ tokenId: z.uuid({ error: "Unknown token." }) });
