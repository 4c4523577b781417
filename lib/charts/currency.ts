import { roundToCents } from "@/lib/usage/money";

// Money for people: exact decimal strings in, "$1,234.57" out, rounded once. Unpriced amounts are
// never formatted as $0: callers pass the unpriced count and get "unpriced" wording instead.

export function formatUsd(amount: string): string {
  const cents = roundToCents(amount);
  const negative = cents.startsWith("-");
  const [whole = "0", fraction = "00"] = cents.replace("-", "").split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}$${grouped}.${fraction}`;
}

/** "$12.30", "$12.30 + 4 unpriced", or "unpriced (4)" when nothing had a price. */
export function formatSpend(amount: string, unpriced: number, requests?: number): string {
  if (unpriced > 0 && requests !== undefined && unpriced === requests)
    return `unpriced (${unpriced.toLocaleString("en-US")})`;
  const money = formatUsd(amount);
  return unpriced > 0 ? `${money} + ${unpriced.toLocaleString("en-US")} unpriced` : money;
}

/** One record's exact cost: trailing zeros trimmed, at least cents ("$0.00575", "$1.00"). */
export function formatRecordCost(amount: string): string {
  const [whole = "0", fraction = ""] = amount.replace(/^-/, "").split(".");
  const trimmed = fraction.replace(/0+$/, "").padEnd(2, "0");
  return `${amount.startsWith("-") ? "-" : ""}$${whole}.${trimmed}`;
}

/**
 * The flag beside spend whose tokens a tokenizer counted because the provider reported none:
 * priced like any other, but an estimate. Null when there are none.
 */
export function estimatedNote(estimated: number): string | null {
  if (estimated <= 0) return null;
  return `${estimated.toLocaleString("en-US")} ${estimated === 1 ? "request" : "requests"} estimated by tokenizer`;
}
