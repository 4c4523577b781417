import { Prisma } from "@/lib/generated/prisma/client";
import type { GatewayPrice } from "@/lib/gateway/catalog-cache";

// The most a request can cost, reserved against budgets while it runs (settled to the real cost,
// priced in SQL, when its usage record is written). Decimal throughout, like the ledger.
const MILLION = new Prisma.Decimal(1_000_000);

/** When neither the request nor the model says how long an answer may be. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

export function maxCost(price: GatewayPrice, promptTokens: number, maxOutputTokens: number): string {
  const input = new Prisma.Decimal(price.inputPerMTok).mul(promptTokens);
  const output = new Prisma.Decimal(price.outputPerMTok).mul(maxOutputTokens);
  return input.add(output).div(MILLION).toDecimalPlaces(10, Prisma.Decimal.ROUND_UP).toFixed(10);
}
