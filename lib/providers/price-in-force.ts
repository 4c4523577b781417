// Prices are append-only rows; the one in force at time t is the latest with effectiveFrom <= t.

export type DatedPrice = { effectiveFrom: Date };

export function priceInForce<T extends DatedPrice>(prices: readonly T[], at: Date = new Date()): T | null {
  let best: T | null = null;
  for (const price of prices) {
    if (price.effectiveFrom.getTime() > at.getTime()) continue;
    if (!best || price.effectiveFrom.getTime() > best.effectiveFrom.getTime()) best = price;
  }
  return best;
}

/** Prices that take effect after `at`, soonest first: shown as "scheduled". */
export function scheduledPrices<T extends DatedPrice>(prices: readonly T[], at: Date = new Date()): T[] {
  return prices
    .filter((price) => price.effectiveFrom.getTime() > at.getTime())
    .sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
}

export type PriceStatus = "scheduled" | "in-force" | "superseded";

export function priceStatus<T extends DatedPrice>(price: T, prices: readonly T[], at: Date = new Date()): PriceStatus {
  if (price.effectiveFrom.getTime() > at.getTime()) return "scheduled";
  return priceInForce(prices, at) === price ? "in-force" : "superseded";
}
