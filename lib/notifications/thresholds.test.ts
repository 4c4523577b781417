import { expect, test } from "vitest";
import { parseThresholds } from "@/lib/notifications/thresholds";

test("budget thresholds come from the variable, sorted and deduplicated, or default to 80 and 100", () => {
  expect(parseThresholds(undefined)).toEqual([80, 100]);
  expect(parseThresholds(" 100, 50 ,100")).toEqual([50, 100]);
  expect(parseThresholds("80,abc")).toEqual([80, 100]);
  expect(parseThresholds("0")).toEqual([80, 100]);
  expect(parseThresholds("120")).toEqual([120]);
});
