import { expect, test } from "vitest";
import { conditionSettings } from "@/lib/notifications/condition-settings";

test("condition settings default when unset, empty or out of range, and take valid values", () => {
  expect(conditionSettings({})).toEqual({
    keyExpiryDays: 7,
    errorRatePercent: 25,
    errorRateMinRequests: 20,
    spendAnomalyMultiple: 3,
    spendAnomalyMinUsd: "1",
  });
  expect(
    conditionSettings({
      NOTIFY_KEY_EXPIRY_DAYS: "14",
      NOTIFY_ERROR_RATE_PERCENT: "12.5",
      NOTIFY_ERROR_RATE_MIN_REQUESTS: "5",
      NOTIFY_SPEND_ANOMALY_MULTIPLE: "2.5",
      NOTIFY_SPEND_ANOMALY_MIN_USD: "0.50",
    }),
  ).toEqual({
    keyExpiryDays: 14,
    errorRatePercent: 12.5,
    errorRateMinRequests: 5,
    spendAnomalyMultiple: 2.5,
    spendAnomalyMinUsd: "0.50",
  });
  const bad = conditionSettings({
    NOTIFY_KEY_EXPIRY_DAYS: "0",
    NOTIFY_ERROR_RATE_PERCENT: "150",
    NOTIFY_ERROR_RATE_MIN_REQUESTS: "2.5",
    NOTIFY_SPEND_ANOMALY_MULTIPLE: "1",
    NOTIFY_SPEND_ANOMALY_MIN_USD: "1e3",
  });
  expect(bad).toEqual(conditionSettings({}));
  expect(conditionSettings({ NOTIFY_KEY_EXPIRY_DAYS: " " }).keyExpiryDays).toBe(7);
});
