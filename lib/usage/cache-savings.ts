import { formatUsd } from "@/lib/charts/currency";
import { sumDecimals } from "@/lib/usage/money";

// The money a route's exact-match cache saved: each hit is recorded at cost 0 with saved_cost
// what the answer cost when it was made; the rollups sum both. Pure, summed exactly.

export type SavingsRow = { savedCostSum: string; cachedCount: number };
export type CacheSavings = { saved: string; cachedAnswers: number };

export function totalSavings(rows: readonly SavingsRow[]): CacheSavings {
  return {
    saved: sumDecimals(rows.map((row) => row.savedCostSum)),
    cachedAnswers: rows.reduce((sum, row) => sum + row.cachedCount, 0),
  };
}

/** "Saved by the cache: $12.35 over 1,024 cached answers"; null when the cache answered nothing. */
export function savingsSentence(savings: CacheSavings): string | null {
  if (savings.cachedAnswers === 0) return null;
  const answers = `${savings.cachedAnswers.toLocaleString("en-US")} cached ${savings.cachedAnswers === 1 ? "answer" : "answers"}`;
  return `Saved by the cache: ${formatUsd(savings.saved)} over ${answers}`;
}
