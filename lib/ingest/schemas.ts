import { z } from "zod";
import { storableText } from "@/lib/validation/text";

// The ingestion API's body (POST /api/v1/usage, documented in openapi/usage-ingest.yaml). The
// batch is checked as a whole only for shape and size; each record is validated on its own so a
// bad record gets its own error while the good ones are stored.

export const MAX_BATCH_RECORDS = 1000;
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Records may be stamped slightly ahead of the server clock (clock skew), not days ahead. */
export const MAX_FUTURE_MS = 5 * 60 * 1000;

const count = (label: string) =>
  z
    .number({ error: `${label} must be a whole number.` })
    .int(`${label} must be a whole number.`)
    .min(0, `${label} cannot be negative.`)
    .max(2_147_483_647, `${label} is too large.`);

export const ingestBodySchema = z.object({
  records: z
    .array(z.unknown(), { error: 'Send { "records": [ … ] }.' })
    .min(1, "Send at least one record.")
    .max(MAX_BATCH_RECORDS, `Send at most ${MAX_BATCH_RECORDS} records per request.`),
});

/** The earliest occurredAt stored: the pages, charts and exports read from 1970 on. */
export const MIN_OCCURRED_AT = "1970-01-01T00:00:00.000Z";
const MIN_OCCURRED_MS = Date.parse(MIN_OCCURRED_AT);

// Every check of a record is on its own field (no object-level refinement reads another field's
// parsed value), so a field that already failed can never make a later check throw: zod 4 keeps
// running checks after a non-aborting issue, with the raw, untransformed input.
const text = (typeError: string) => storableText(z.string({ error: typeError }));

const occurredAt = text("occurredAt must be an ISO 8601 timestamp with a time zone.")
  .pipe(
    z.iso.datetime({
      offset: true,
      error: "occurredAt must be an ISO 8601 timestamp with a time zone, e.g. 2026-11-20T10:15:00Z.",
    }),
  )
  .transform((value, ctx) => {
    const time = Date.parse(value);
    if (!Number.isFinite(time)) {
      ctx.addIssue({ code: "custom", message: "occurredAt is not a real point in time." });
      return z.NEVER;
    }
    if (time < MIN_OCCURRED_MS) {
      ctx.addIssue({
        code: "custom",
        message:
          "occurredAt is before 1970-01-01T00:00:00Z: such records cannot be shown or exported, so they are not stored.",
      });
      return z.NEVER;
    }
    if (time > Date.now() + MAX_FUTURE_MS) {
      ctx.addIssue({ code: "custom", message: "occurredAt is in the future." });
      return z.NEVER;
    }
    return new Date(time);
  });

export const ingestRecordSchema = z
  .object({
    // The id is stored exactly as sent: it is the idempotency key, so "a " and "a" must not collide.
    id: text("Give every record an id (your own, unique).")
      .min(1, "The id is empty.")
      .max(200, "Use an id of at most 200 characters.")
      .refine(
        (value) => value.trim() === value,
        "The id starts or ends with whitespace: send it without, ids are stored exactly as sent.",
      ),
    occurredAt,
    provider: text("Name the provider (its name or id).")
      .trim()
      .min(1, "Name the provider.")
      .max(200, "Use a provider reference of at most 200 characters."),
    model: text("Name the model (its model id or console id).")
      .trim()
      .min(1, "Name the model.")
      .max(200, "Use a model reference of at most 200 characters."),
    keyId: z.uuid({ error: "keyId must be a provider key's id." }).nullish(),
    tag: text("tag must be text.")
      .trim()
      .max(100, "Use a tag of at most 100 characters.")
      .nullish()
      .transform((value) => value ?? ""),
    inputTokens: count("inputTokens"),
    cachedInputTokens: count("cachedInputTokens")
      .nullish()
      .transform((value) => value ?? 0),
    outputTokens: count("outputTokens"),
    latencyMs: count("latencyMs"),
    ttftMs: count("ttftMs")
      .nullish()
      .transform((value) => value ?? null),
    status: z.enum(["ok", "error"], { error: 'status is "ok" or "error".' }),
    errorClass: z
      .string({ error: "errorClass is text." })
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "errorClass is up to 64 letters, digits or _.:-")
      .nullish(),
    httpStatus: z
      .number({ error: "httpStatus is an HTTP status code." })
      .int("httpStatus is an HTTP status code.")
      .min(100, "httpStatus is an HTTP status code.")
      .max(599, "httpStatus is an HTTP status code.")
      .nullish(),
  })
  // Reads two fields, either of which may have failed (then it holds the raw input): compare only numbers.
  .superRefine((record, ctx) => {
    const { inputTokens, cachedInputTokens } = record as { inputTokens: unknown; cachedInputTokens: unknown };
    if (typeof inputTokens === "number" && typeof cachedInputTokens === "number" && cachedInputTokens > inputTokens) {
      ctx.addIssue({
        code: "custom",
        path: ["cachedInputTokens"],
        message: "cachedInputTokens is the cached part of inputTokens and cannot exceed it.",
      });
    }
  });

export type IngestRecord = z.output<typeof ingestRecordSchema>;

/** Error classes are compared case-insensitively; an error without one is "unknown". */
export function normaliseErrorClass(record: Pick<IngestRecord, "status" | "errorClass">): string | null {
  if (record.status !== "error") return null;
  return (record.errorClass ?? "unknown").toLowerCase();
}

export const createIngestTokenSchema = z.object({
  name: storableText(z.string({ error: "Name the token (e.g. the application using it)." }))
    .trim()
    .min(1, "Name the token (e.g. the application using it).")
    .max(80, "Use at most 80 characters."),
});

export const revokeIngestTokenSchema = z.object({ tokenId: z.uuid({ error: "Unknown token." }) });
