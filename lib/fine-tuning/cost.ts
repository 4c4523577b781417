import { fromUnits, toUnits } from "@/lib/usage/money";

// Training cost, exact: tokens × epochs × price per 1M tokens, in DECIMAL(20,10) units, rounded
// half away from zero once (as PostgreSQL's round(numeric, 10) does for the recorded usage). An
// unknown price gives null ("unpriced"), never 0.

/** The epochs an estimate assumes when the job leaves them to the provider ("auto"). */
export const AUTO_EPOCHS_ESTIMATE = 3;

export function trainingCost(tokens: number, epochs: number, pricePerMTok: string | null): string | null {
  if (pricePerMTok === null) return null;
  if (!Number.isSafeInteger(tokens) || tokens < 0 || !Number.isSafeInteger(epochs) || epochs < 0)
    throw new Error("tokens and epochs must be non-negative integers");
  const product = BigInt(tokens) * BigInt(epochs) * toUnits(pricePerMTok);
  const million = 1_000_000n;
  const rounded = (product + million / 2n) / million;
  return fromUnits(rounded);
}
