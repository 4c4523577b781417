import { z } from "zod";
import { checkbox } from "@/lib/providers/schemas";

// Forms and actions of the usage pages (budgets, retention, repricing).

export const repriceSchema = z.object({ modelId: z.uuid({ error: "Unknown model." }) });

export const OVERALL_SCOPE = "overall";

/** Dollars with at most 2 decimals, parsed as text (money never goes through a float). */
const dollars = z
  .string({ error: "Enter an amount in dollars." })
  .trim()
  .regex(/^\d{1,14}(\.\d{1,2})?$/, "Enter an amount like 1500 or 1500.50 (at most 2 decimals).")
  .refine((value) => /[1-9]/.test(value), "A budget must be more than $0.");

export const setBudgetSchema = z.object({
  scope: z.union([z.literal(OVERALL_SCOPE), z.uuid()], { error: "Choose overall or a provider." }),
  monthlyAmount: dollars,
  // Hard: the gateway refuses requests once this month's spend reaches the amount.
  hard: checkbox,
});

export const deleteBudgetSchema = z.object({ budgetId: z.uuid({ error: "Unknown budget." }) });

export const MAX_RETENTION_DAYS = 3650;

const days = (min: number, tooShort: string) =>
  z.coerce
    .number({ error: "Enter a number of days." })
    .int("Enter a whole number of days.")
    .min(min, tooShort)
    .max(MAX_RETENTION_DAYS, `At most ${MAX_RETENTION_DAYS} days.`);

export const setRetentionSchema = z.object({
  // An empty field means "keep raw records forever".
  retentionDays: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? null : value),
    days(1, "Keep raw records for at least 1 day.").nullable(),
  ),
});

export const runRetentionSchema = z.object({
  olderThanDays: days(1, "Only records at least a day old can be deleted."),
});
