import { z } from "zod";
import { parseCidrList, splitList } from "@/lib/gateway-keys/cidr";
import { storableText } from "@/lib/validation/text";

// One zod module for teams and gateway keys, shared by the forms and the action specs. Whether an
// allowed model exists is a database question: the handler checks it at save time (field error).

const blankToUndefined = (value: unknown) =>
  value === null || (typeof value === "string" && value.trim() === "") ? undefined : value;

const name = (what: string) =>
  storableText(z.string({ error: `Name the ${what}.` }))
    .trim()
    .min(1, `Name the ${what}.`)
    .max(80, "Use at most 80 characters.");

/** Dollars with at most 2 decimals as text (numeric(14,2): 12 whole digits); empty = no budget. */
const monthlyBudget = z.preprocess(
  blankToUndefined,
  z
    .string({ error: "Enter an amount in dollars, like 500 or 500.00." })
    .trim()
    .regex(/^\d{1,12}(\.\d{1,2})?$/, "Enter an amount like 500 or 500.50 (at most 2 decimals).")
    .refine((value) => /[1-9]/.test(value), "A budget must be more than $0; leave it empty for none.")
    .transform((value) => (value.includes(".") ? value : `${value}.00`))
    .optional()
    .transform((value) => value ?? null),
);

const MAX_INT = 2_147_483_647;

/** A limit: a whole number above 0, or empty for none. */
const limit = (label: string) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: `${label} must be a whole number.` })
      .int(`${label} must be a whole number.`)
      .min(1, `${label} must be at least 1; leave it empty for no limit.`)
      .max(MAX_INT, `${label} is too large.`)
      .optional()
      .transform((value) => value ?? null),
  );

/** A textarea (one entry per line, or comma-separated) or a list of values. */
const entryList = (what: string, max: number) =>
  z
    .union([z.string(), z.array(z.string())], { error: `Enter ${what}, one per line.` })
    .optional()
    .transform((value) => (value === undefined ? [] : splitList(Array.isArray(value) ? value.join("\n") : value)))
    .pipe(
      z
        .array(storableText(z.string().max(300, `An entry is at most 300 characters.`)))
        .max(max, `At most ${max} entries.`),
    )
    .transform((entries) => [...new Set(entries)]);

const allowedIps = entryList("address ranges", 100).transform((entries, context) => {
  const parsed = parseCidrList(entries);
  if (!parsed.ok) {
    for (const message of parsed.messages) context.addIssue({ code: "custom", message });
    return z.NEVER;
  }
  return parsed.cidrs;
});

// <input type="date"> gives YYYY-MM-DD: the key stops at the end of that day (UTC). An ISO time
// with a zone is taken as it is. Either must lie ahead: an expiry in the past is a mistake.
const expiresAt = z.preprocess(
  blankToUndefined,
  z
    .string({ error: "Enter a date." })
    .trim()
    .optional()
    .transform((value, context) => {
      if (value === undefined) return null;
      const date = /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? new Date(`${value}T23:59:59.999Z`)
        : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
          ? new Date(value)
          : new Date(Number.NaN);
      if (Number.isNaN(date.getTime()) || date.getUTCFullYear() > 9999) {
        context.addIssue({ code: "custom", message: "Enter a valid date." });
        return z.NEVER;
      }
      if (date.getTime() <= Date.now()) {
        context.addIssue({ code: "custom", message: "Choose a date in the future, or leave it empty for no expiry." });
        return z.NEVER;
      }
      return date;
    }),
);

const teamId = z.uuid({ error: "Choose a team." });
const gatewayKeyId = z.uuid({ error: "Unknown gateway key." });

const teamFields = {
  name: name("team"),
  description: storableText(z.string({ error: "Describe the team in text." }))
    .trim()
    .max(500, "Use at most 500 characters.")
    .optional()
    .transform((value) => value ?? ""),
  monthlyBudgetUsd: monthlyBudget,
};

export const createTeamSchema = z.object(teamFields);
export const updateTeamSchema = z.object({ teamId, ...teamFields });
export const deleteTeamSchema = z.object({ teamId });

const keyFields = {
  name: name("key"),
  teamId,
  allowedModels: entryList("model names", 200),
  monthlyBudgetUsd: monthlyBudget,
  rpmLimit: limit("Requests per minute"),
  tpmLimit: limit("Tokens per minute"),
  maxParallel: limit("Parallel requests"),
  expiresAt,
  allowedIps,
};

export const createGatewayKeySchema = z.object(keyFields);
export const updateGatewayKeySchema = z.object({ gatewayKeyId, ...keyFields });

export const revokeGatewayKeySchema = z.object({
  gatewayKeyId,
  confirm: z.union([z.literal("on"), z.literal(true)], { error: "Tick the box to confirm the revocation." }),
});

export const GRACE_CHOICES = { none: 0, "1h": 60, "24h": 24 * 60, "7d": 7 * 24 * 60 } as const;
export const MAX_GRACE_MINUTES = 30 * 24 * 60;

// A preset, or "custom" with the minutes in their own field; the result is the grace in minutes.
export const rotateGatewayKeySchema = z
  .object({
    gatewayKeyId,
    grace: z.enum(["none", "1h", "24h", "7d", "custom"], { error: "Choose how long the old key keeps working." }),
    graceMinutes: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ error: "Enter the grace period in minutes." })
        .int("Enter whole minutes.")
        .min(1, `Use 1 to ${MAX_GRACE_MINUTES} minutes.`)
        .max(MAX_GRACE_MINUTES, `Use 1 to ${MAX_GRACE_MINUTES} minutes (30 days).`)
        .optional(),
    ),
  })
  .transform(({ gatewayKeyId, grace, graceMinutes }, context) => {
    if (grace !== "custom") return { gatewayKeyId, graceMinutes: GRACE_CHOICES[grace] };
    if (graceMinutes === undefined) {
      context.addIssue({ code: "custom", path: ["graceMinutes"], message: "Enter the grace period in minutes." });
      return z.NEVER;
    }
    return { gatewayKeyId, graceMinutes };
  });

export type TeamInput = z.output<typeof createTeamSchema>;
export type GatewayKeyInput = z.output<typeof createGatewayKeySchema>;
