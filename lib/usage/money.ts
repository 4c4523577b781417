// Exact money arithmetic for costs stored as DECIMAL(20,10) / DECIMAL(30,10): values travel as
// decimal strings and are summed as BigInt units of 1e-10 USD, so no float ever touches money.

export const COST_SCALE = 10;
const UNIT = 10n ** BigInt(COST_SCALE);
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** "12.5" → 125000000000n (units of 1e-10). Throws on anything but a plain decimal. */
export function toUnits(value: string): bigint {
  const match = DECIMAL.exec(value.trim());
  if (!match) throw new Error(`Not a decimal amount: ${value}`);
  const [, sign, whole = "0", fraction = ""] = match;
  if (fraction.length > COST_SCALE && /[1-9]/.test(fraction.slice(COST_SCALE))) {
    throw new Error(`More than ${COST_SCALE} decimal places: ${value}`);
  }
  const units = BigInt(whole) * UNIT + BigInt(fraction.slice(0, COST_SCALE).padEnd(COST_SCALE, "0"));
  return sign ? -units : units;
}

/** 125000000000n → "12.5000000000" (always COST_SCALE places: PostgreSQL reads it exactly). */
export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / UNIT;
  const fraction = (abs % UNIT).toString().padStart(COST_SCALE, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

export function sumDecimals(values: Iterable<string>): string {
  let total = 0n;
  for (const value of values) total += toUnits(value);
  return fromUnits(total);
}

/**
 * Rounds to cents half-up for display and exports ("12.35"). Spend shown in the console is the
 * exact sum rounded once at the end, never a sum of rounded parts.
 */
export function roundToCents(value: string): string {
  const units = toUnits(value);
  const centUnit = UNIT / 100n;
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const cents = (abs + centUnit / 2n) / centUnit;
  const text = `${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`;
  return negative && cents !== 0n ? `-${text}` : text;
}
