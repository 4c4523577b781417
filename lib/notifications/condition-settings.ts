// The knobs of the condition checks (key expiry, error rate, spend anomaly), from the environment.
// Pure: bad or missing text gives the documented default, never NaN or a check that cannot fire.

export type ConditionSettings = {
  /** Keys (provider and gateway) expiring within this many days raise "expiring". */
  keyExpiryDays: number;
  /** A provider's failed share of calls over 5 minutes at or above this percentage... */
  errorRatePercent: number;
  /** ...once it made at least this many calls in those 5 minutes. */
  errorRateMinRequests: number;
  /** A UTC day's spend at or above this multiple of the trailing 7-day daily average... */
  spendAnomalyMultiple: number;
  /** ...and at least this many dollars (text: compared exactly in SQL). */
  spendAnomalyMinUsd: string;
};

export const DEFAULT_CONDITION_SETTINGS: ConditionSettings = {
  keyExpiryDays: 7,
  errorRatePercent: 25,
  errorRateMinRequests: 20,
  spendAnomalyMultiple: 3,
  spendAnomalyMinUsd: "1",
};

function number(text: string | undefined, fallback: number, min: number, max: number, integer: boolean): number {
  if (text === undefined || !text.trim()) return fallback;
  const value = Number(text.trim());
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) return fallback;
  return value;
}

export function conditionSettings(env: Record<string, string | undefined> = process.env): ConditionSettings {
  const d = DEFAULT_CONDITION_SETTINGS;
  const minUsd = env.NOTIFY_SPEND_ANOMALY_MIN_USD?.trim();
  return {
    keyExpiryDays: number(env.NOTIFY_KEY_EXPIRY_DAYS, d.keyExpiryDays, 1, 365, true),
    errorRatePercent: number(env.NOTIFY_ERROR_RATE_PERCENT, d.errorRatePercent, 1, 100, false),
    errorRateMinRequests: number(env.NOTIFY_ERROR_RATE_MIN_REQUESTS, d.errorRateMinRequests, 1, 1_000_000, true),
    spendAnomalyMultiple: number(env.NOTIFY_SPEND_ANOMALY_MULTIPLE, d.spendAnomalyMultiple, 1.1, 1000, false),
    spendAnomalyMinUsd: minUsd && /^\d{1,12}(\.\d{1,10})?$/.test(minUsd) ? minUsd : d.spendAnomalyMinUsd,
  };
}
