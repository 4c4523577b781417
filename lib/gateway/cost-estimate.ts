import { Prisma } from "@/lib/generated/prisma/client";
import type { GatewayPrice } from "@/lib/gateway/catalog-cache";

// The most a request can cost, reserved against budgets while it runs (settled to the real cost,
// priced in SQL, when its usage record is written). Decimal throughout, like the ledger.
const MILLION = new Prisma.Decimal(1_000_000);

/** When neither the request nor the model says how long an answer may be. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

// A price's Decimals, parsed once per catalog load (the catalog's price objects are replaced when
// it reloads) instead of twice per request.
const parsed = new WeakMap<GatewayPrice, { input: Prisma.Decimal; output: Prisma.Decimal }>();

function decimalsOf(price: GatewayPrice) {
  let decimals = parsed.get(price);
  if (!decimals) {
    decimals = { input: new Prisma.Decimal(price.inputPerMTok), output: new Prisma.Decimal(price.outputPerMTok) };
    parsed.set(price, decimals);
  }
  return decimals;
}

/** The maximum cost in USD, rounded up to 10 decimal places. */
export function maxCostDecimal(price: GatewayPrice, promptTokens: number, maxOutputTokens: number): Prisma.Decimal {
  const { input, output } = decimalsOf(price);
  return input
    .mul(promptTokens)
    .add(output.mul(maxOutputTokens))
    .div(MILLION)
    .toDecimalPlaces(10, Prisma.Decimal.ROUND_UP);
}
