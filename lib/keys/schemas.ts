import { z } from "zod";
import { storableText } from "@/lib/validation/text";

// One zod module for keys, shared by the forms and the action specs.

const checkbox = z
  .union([z.boolean(), z.literal("on").transform(() => true), z.literal("").transform(() => false)])
  .default(false);

// The secret is trimmed (pasted keys often carry a newline) but never echoed or logged.
export const apiKeySchema = z
  .string({ error: "Paste the API key." })
  .trim()
  .min(8, "That is too short to be an API key.")
  .max(4096, "That is too long to be an API key.")
  .refine((value) => !/\s/.test(value), "An API key has no spaces or line breaks.");

export const labelSchema = storableText(z.string({ error: "Enter a label." }))
  .trim()
  .min(1, "Enter a label.")
  .max(80, "Use at most 80 characters.");

// <input type="date"> submits YYYY-MM-DD or nothing; the key expires at the end of that day (UTC).
export const expiresAtSchema = z
  .union([z.date(), z.string().trim()])
  .optional()
  .transform((value, context) => {
    if (value === undefined || value === "") return null;
    const date =
      value instanceof Date
        ? value
        : /^\d{4}-\d{2}-\d{2}$/.test(value)
          ? new Date(`${value}T23:59:59.999Z`)
          : new Date(value);
    // Years PostgreSQL or the pages cannot hold (0000, negative, six digits) are not dates anyone means.
    if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999) {
      context.addIssue({ code: "custom", message: "Enter a valid date." });
      return z.NEVER;
    }
    return date;
  });

export const providerIdSchema = z.uuid({ error: "Unknown provider." });
export const keyIdSchema = z.object({ keyId: z.uuid({ error: "Unknown key." }) });

export const addKeySchema = z.object({
  providerId: providerIdSchema,
  label: labelSchema,
  apiKey: apiKeySchema,
  expiresAt: expiresAtSchema,
  makePrimary: checkbox,
});

export const rotateKeySchema = z.object({
  providerId: providerIdSchema,
  label: labelSchema,
  apiKey: apiKeySchema,
  expiresAt: expiresAtSchema,
  // An empty field would coerce to 0 (revoke at once); it must be a deliberate choice instead.
  graceDays: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce
      .number({ error: "Enter a number of days." })
      .int("Enter whole days.")
      .min(0, "Use 0 to 30 days.")
      .max(30, "Use 0 to 30 days."),
  ),
  saveAnyway: checkbox,
});

export const revokeKeySchema = keyIdSchema.extend({
  confirm: z.union([z.literal("on"), z.literal(true)], { error: "Tick the box to confirm the revocation." }),
});

export const setPrimarySchema = keyIdSchema;

// Rebinding sends a stored key to a new host: the admin re-enters their own password for it.
export const rebindKeySchema = keyIdSchema.extend({
  password: z
    .string({ error: "Enter your password." })
    .min(1, "Enter your password.")
    .max(1024, "That is too long to be a password."),
  confirm: z.union([z.literal("on"), z.literal(true)], { error: "Tick the box to confirm the new host." }),
});
export const testKeySchema = keyIdSchema;
export const returnToRotationSchema = keyIdSchema;

export const rewrapBatchSchema = z.object({
  cursor: z
    .string()
    .optional()
    .transform((value, context) => {
      if (!value) return null;
      try {
        const parsed = z
          .object({ column: z.number().int().min(0), afterId: z.string().max(100) })
          .parse(JSON.parse(value));
        return parsed;
      } catch {
        context.addIssue({ code: "custom", message: "Invalid progress cursor." });
        return z.NEVER;
      }
    }),
});

export type AddKeyInput = z.output<typeof addKeySchema>;
export type RotateKeyInput = z.output<typeof rotateKeySchema>;
