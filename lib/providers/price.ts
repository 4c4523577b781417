import { Prisma } from "@/lib/generated/prisma/browser";

// Prices are USD per 1M tokens, stored as DECIMAL(18, 6). Input is text and is parsed by
// Prisma.Decimal, never through a JavaScript number, so 0.1 stays exactly 0.1.

export const PRICE_DECIMALS = 6;
const INTEGER_DIGITS = 12;
const PRICE_PATTERN = /^\d+(\.\d+)?$/;

export type Decimal = InstanceType<typeof Prisma.Decimal>;

export type PriceParse = { ok: true; value: Decimal } | { ok: false; message: string };

export function parsePrice(input: string): PriceParse {
  const text = input.trim().replace(/^\$/, "");
  if (!text) return { ok: false, message: "Enter a price (0 if free)." };
  if (text.startsWith("-")) return { ok: false, message: "A price cannot be negative." };
  if (!PRICE_PATTERN.test(text)) return { ok: false, message: "Enter a plain decimal number such as 2.50." };
  const [whole = "", fraction = ""] = text.split(".");
  if (fraction.length > PRICE_DECIMALS) return { ok: false, message: `Use at most ${PRICE_DECIMALS} decimal places.` };
  if (whole.replace(/^0+(?=\d)/, "").length > INTEGER_DIGITS) return { ok: false, message: "That price is too large." };
  return { ok: true, value: new Prisma.Decimal(text) };
}

/** Canonical text for display, audit details and form echoes: no float formatting anywhere. */
export function formatPrice(value: Decimal | string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const decimal = typeof value === "string" ? new Prisma.Decimal(value) : value;
  // Keep at least two places for money-like reading, more only when the price has them.
  const fixed = decimal.toFixed(PRICE_DECIMALS).replace(/0+$/, "");
  const [whole, fraction = ""] = fixed.split(".");
  return `${whole}.${fraction.padEnd(2, "0")}`;
}
